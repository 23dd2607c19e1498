// RFC 6902 diffs between two views: few, short ops, each on the deepest value whose op is no longer than its parts' ops.
import { UNSAFE_KEYS, type PatchOperation } from "../../protocol/messages.ts";
import { jsonLength } from "../json-length.ts";
import { digits, opSize, tokenLength } from "./op-size.ts";
import { jsonEntry, leastPartsSize, shallowChanges } from "./shallow.ts";
import { viewText } from "./view-text.ts";

// The client SDK refuses the same keys.
const unsafeKeys: ReadonlySet<string> = new Set(UNSAFE_KEYS);

type Container = Record<string, unknown> | unknown[];

/**
 * The ops being built; each one's JSON length once it has been asked for (-1 until then), its path's JSON length
 * (quotes included), so sizes are sums rather than serializations of ops that are mostly thrown away, and its value's
 * JSON text when weighing it built one (the message reuses it rather than format every number again); the values
 * already checked for prototype keys, so a container replaced whole does not walk again the entries its parts checked.
 */
interface Ops {
  readonly list: PatchOperation[];
  readonly sizes: number[];
  readonly pathLengths: number[];
  readonly valueTexts: (string | undefined)[];
  /** A stack of the texts entries' diffs built, one frame per array being walked. */
  readonly known: (string | undefined)[];
  readonly checked: Set<object>;
  readonly memo: DiffMemo | undefined;
}

/** One array's diff as it was made: replayed for another audience that diffs the same two arrays at the same path. */
interface Made {
  readonly after: unknown;
  readonly path: string;
  readonly list: PatchOperation[];
  readonly sizes: number[];
  readonly pathLengths: number[];
  readonly valueTexts: (string | undefined)[];
  readonly text: string | undefined;
}

/**
 * Diffs of lists made for one broadcast, by the list diffed from: audiences whose views share a list (every team
 * seeing every position) diff it once. Exact because views are pure and never changed once returned; one per
 * broadcast, so no entry outlives the views it was made from. Only lists of at least MEMO_ENTRIES are kept: a
 * short one costs less to diff again than to look up.
 */
export type DiffMemo = Map<unknown[], Made>;
const MEMO_ENTRIES = 8;

/** A diff's ops, and the JSON text of their list (exactly `JSON.stringify(ops)`). */
export interface Patch {
  readonly ops: readonly PatchOperation[];
  readonly text: string;
}

/**
 * The operations that turn `before` into `after`. Identical references are skipped without being walked, so
 * unchanged parts of a view cost nothing. A container (object or array) at least half of whose entries changed is
 * replaced whole when that op is no longer than the ops on its entries: a tick that moves every player is then one
 * `replace` of their positions, not two ops per player each repeating a long path. Throws on a key that could
 * pollute a client's prototypes: views are built from game state, so such a key is a bug in the game, and sending
 * it would be worse than failing the update. A key whose value is `undefined` counts as absent, as in JSON.
 */
export function diff(before: unknown, after: unknown): PatchOperation[] {
  return walked(before, after).list;
}

/** `diff`, with the text of its ops built from the values' texts that weighing them already built. */
export function patchOf(before: unknown, after: unknown, memo?: DiffMemo): Patch {
  const ops = walked(before, after, memo);
  let text = "[";
  for (let i = 0; i < ops.list.length; i++) text += (i === 0 ? "" : ",") + opText(ops, i);
  return { ops: ops.list, text: `${text}]` };
}

function walked(before: unknown, after: unknown, memo?: DiffMemo): Ops {
  const ops: Ops = { list: [], sizes: [], pathLengths: [], valueTexts: [], known: [], checked: new Set(), memo };
  walk(before, after, "", 2, ops);
  return ops;
}

/** Diffs one value; returns the JSON text of `after` when weighing the ops built it. */
function walk(before: unknown, after: unknown, path: string, pathLength: number, ops: Ops): string | undefined {
  if (before === after) return undefined;
  if (!isContainer(before) || !isContainer(after) || Array.isArray(before) !== Array.isArray(after)) {
    push(ops, { op: "replace", path, value: after }, pathLength);
    return undefined;
  }
  if (!Array.isArray(before)) return walkObject(before as Record<string, unknown>, after as Record<string, unknown>, path, pathLength, ops);
  const memo = before.length >= MEMO_ENTRIES ? ops.memo : undefined;
  const made = memo?.get(before);
  if (made && made.after === after && made.path === path) return replay(ops, made);
  const start = ops.list.length;
  const shallow = shallowChanges(before, after as unknown[]);
  const text = shallow === -1 ? walkArray(before, after as unknown[], path, pathLength, ops) : walkShallow(before, after as unknown[], shallow, path, pathLength, ops);
  memo?.set(before, { after, path, list: ops.list.slice(start), sizes: ops.sizes.slice(start), pathLengths: ops.pathLengths.slice(start), valueTexts: ops.valueTexts.slice(start), text });
  return text;
}

/** The ops another audience's diff made, sizes and texts included; their values were checked for prototype keys then. */
function replay(ops: Ops, made: Made): string | undefined {
  ops.list.push(...made.list);
  ops.sizes.push(...made.sizes);
  ops.pathLengths.push(...made.pathLengths);
  ops.valueTexts.push(...made.valueTexts);
  return made.text;
}

/** The ops from `start` on become one `replace` of the whole value when that is no longer than they are. */
function replaceIfShorter(ops: Ops, start: number, path: string, pathLength: number, value: unknown, text: string): void {
  const size = opSize("replace", pathLength, text.length);
  if (size > partsSize(ops, start)) return;
  ops.list.length = start;
  ops.sizes.length = start;
  ops.pathLengths.length = start;
  ops.valueTexts.length = start;
  // Known now, so a container above that weighs this op does not measure the value again.
  push(ops, { op: "replace", path, value }, pathLength, size, text);
}

/**
 * Common entries diffed in place; extra ones removed from the end, new ones added at it (indices stay valid in order).
 * The entries' texts that their diffs built are kept, so weighing the whole array serializes only the others.
 */
function walkArray(before: unknown[], after: unknown[], path: string, pathLength: number, ops: Ops): string | undefined {
  const start = ops.list.length;
  const common = Math.min(before.length, after.length);
  const known = ops.known;
  const base = known.length;
  let changed = 0;
  for (let i = 0; i < common; i++) {
    const at = ops.list.length;
    known.push(walk(jsonEntry(before[i]), jsonEntry(after[i]), `${path}/${i}`, pathLength + 1 + digits(i), ops));
    if (ops.list.length > at) changed += 1;
  }
  for (let i = before.length - 1; i >= after.length; i--, changed++) push(ops, { op: "remove", path: `${path}/${i}` }, pathLength + 1 + digits(i));
  for (let i = before.length; i < after.length; i++, changed++) push(ops, { op: "add", path: `${path}/${i}`, value: jsonEntry(after[i]) }, pathLength + 1 + digits(i));
  // As for an object (see walkObject).
  if (path === "" || changed < 2 || changed * 2 < Math.max(before.length, after.length)) {
    known.length = base;
    return undefined;
  }
  let text = "[";
  for (let i = 0; i < after.length; i++) text += (i === 0 ? "" : ",") + ((i < common ? known[base + i] : undefined) ?? viewText(jsonEntry(after[i])));
  text += "]";
  known.length = base;
  replaceIfShorter(ops, start, path, pathLength, after, text);
  return text;
}

/**
 * `walkArray` for shallow arrays on both sides (a position `[x, y]`, or a list of them), `changed` entries of which
 * differ: when the whole array's op is no longer than the least its entries' ops could be, it wins before any op
 * for an entry, or its path, is built (a tick's moved positions are one text, not an op and a text per position).
 */
function walkShallow(before: unknown[], after: unknown[], changed: number, path: string, pathLength: number, ops: Ops): string | undefined {
  if (path === "" || changed < 2 || changed * 2 < Math.max(before.length, after.length)) return walkArray(before, after, path, pathLength, ops);
  // No object inside, so the native call is the text (an undefined entry is written null, as the patch writes it).
  const text = JSON.stringify(after);
  const size = opSize("replace", pathLength, text.length);
  if (size > leastPartsSize(before, after, pathLength)) return walkArray(before, after, path, pathLength, ops);
  // No object inside, so no key to check for prototype keys.
  record(ops, { op: "replace", path, value: after }, pathLength, size, text);
  return text;
}

/** Changed keys diffed in place, in `before`'s order; then new keys added, in `after`'s. */
function walkObject(before: Record<string, unknown>, after: Record<string, unknown>, path: string, pathLength: number, ops: Ops): string | undefined {
  const start = ops.list.length;
  let changed = 0;
  // Keys of `after` that `before` has too: when that is all of them, nothing was added and the second loop is skipped.
  let kept = 0;
  for (const key of Object.keys(before)) {
    const old = before[key];
    if (old === undefined) continue;
    const next = Object.hasOwn(after, key) ? after[key] : undefined;
    if (next !== undefined) kept += 1;
    if (next === old) continue;
    changed += 1;
    const token = childToken(path, key);
    if (next === undefined) push(ops, { op: "remove", path: `${path}/${token}` }, pathLength + 1 + tokenLength(token));
    else walk(old, next, `${path}/${token}`, pathLength + 1 + tokenLength(token), ops);
  }
  const afterKeys = Object.keys(after);
  for (let i = 0; kept < afterKeys.length && i < afterKeys.length; i++) {
    const key = afterKeys[i] as string;
    const next = after[key];
    if (next === undefined || (Object.hasOwn(before, key) && before[key] !== undefined)) continue;
    changed += 1;
    const token = childToken(path, key);
    push(ops, { op: "add", path: `${path}/${token}`, value: next }, pathLength + 1 + tokenLength(token));
  }
  // Only when most of it changed is the whole value worth measuring to compare; the root is a snapshot's job.
  if (path === "" || changed < 2 || changed * 2 < afterKeys.length) return undefined;
  const text = viewText(after);
  replaceIfShorter(ops, start, path, pathLength, after, text);
  return text;
}

function push(ops: Ops, op: PatchOperation, pathLength: number, size = -1, valueText?: string): void {
  if ("value" in op) assertSafeValue(op.value, op.path, ops.checked);
  record(ops, op, pathLength, size, valueText);
}

/** `push` for an op whose value is known to hold no keys. */
function record(ops: Ops, op: PatchOperation, pathLength: number, size: number, valueText: string | undefined): void {
  ops.list.push(op);
  ops.sizes.push(size);
  ops.pathLengths.push(pathLength);
  ops.valueTexts.push(valueText);
}

/** `JSON.stringify` of the op at `i`. */
function opText(ops: Ops, i: number): string {
  const op = ops.list[i] as PatchOperation;
  const path = ops.pathLengths[i] === op.path.length + 2 ? `"${op.path}"` : JSON.stringify(op.path);
  // As JSON leaves out a key whose value it cannot write.
  if (!("value" in op) || op.value === undefined || typeof op.value === "function" || typeof op.value === "symbol") return `{"op":"${op.op}","path":${path}}`;
  return `{"op":"${op.op}","path":${path},"value":${ops.valueTexts[i] ?? viewText(op.value)}}`;
}

/** The JSON length of the ops from `start` on, each measured at most once however many containers ask. */
function partsSize(ops: Ops, start: number): number {
  let total = 0;
  for (let i = start; i < ops.list.length; i++) {
    let size = ops.sizes[i] as number;
    if (size === -1) {
      const op = ops.list[i] as PatchOperation;
      size = opSize(op.op, ops.pathLengths[i] as number, "value" in op ? jsonLength(op.value) : 0);
      ops.sizes[i] = size;
    }
    total += size + 1;
  }
  return total;
}

const isContainer = (value: unknown): value is Container => typeof value === "object" && value !== null;

/** A key as a JSON Pointer token (RFC 6901 escapes), refusing prototype keys. */
function childToken(path: string, key: string): string {
  if (unsafeKeys.has(key)) throw new Error(`unsafe key in patch path ${path}/${key}`);
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Views are pure and not changed while diffed, so a value checked once in a diff stays safe for the rest of it.
 * An array is checked by index: JSON writes no other key of it. An array of plain values has nothing to check and
 * is not remembered (scanning it again is cheaper than the set).
 */
function assertSafeValue(value: unknown, path: string, checked: Set<object>): void {
  if (typeof value !== "object" || value === null || checked.has(value)) return;
  if (Array.isArray(value)) {
    let nested = false;
    for (let i = 0; i < value.length; i++) {
      if (isContainer(value[i])) {
        nested = true;
        assertSafeValue(value[i], path, checked);
      }
    }
    if (!nested) return;
  } else {
    for (const key of Object.keys(value)) {
      if (unsafeKeys.has(key)) throw new Error(`unsafe key ${key} in patch value at ${path}`);
      assertSafeValue((value as Record<string, unknown>)[key], path, checked);
    }
  }
  checked.add(value);
}
