// The diff as it was before its sizes became sums (c888398): the oracle that says the fast paths change no op.
import { UNSAFE_KEYS, type PatchOperation } from "../../src/protocol/messages.ts";

// The client SDK refuses the same keys.
const unsafeKeys: ReadonlySet<string> = new Set(UNSAFE_KEYS);

type Container = Record<string, unknown> | unknown[];

/**
 * The ops being built, and each one's JSON length once it has been asked for (-1 until then); and the values
 * already checked for prototype keys, so a container replaced whole does not walk again the entries its parts checked.
 */
interface Ops {
  readonly list: PatchOperation[];
  readonly sizes: number[];
  readonly checked: Set<object>;
}

/**
 * The operations that turn `before` into `after`. Identical references are skipped without being walked, so
 * unchanged parts of a view cost nothing. A container (object or array) at least half of whose entries changed is
 * replaced whole when that op is no longer than the ops on its entries: a tick that moves every player is then one
 * `replace` of their positions, not two ops per player each repeating a long path. Throws on a key that could
 * pollute a client's prototypes: views are built from game state, so such a key is a bug in the game, and sending
 * it would be worse than failing the update. A key whose value is `undefined` counts as absent, as in JSON.
 */
export function referenceDiff(before: unknown, after: unknown): PatchOperation[] {
  const ops: Ops = { list: [], sizes: [], checked: new Set() };
  walk(before, after, "", ops);
  return ops.list;
}

function walk(before: unknown, after: unknown, path: string, ops: Ops): void {
  if (before === after) return;
  if (!isContainer(before) || !isContainer(after) || Array.isArray(before) !== Array.isArray(after)) {
    return push(ops, { op: "replace", path, value: after });
  }
  const start = ops.list.length;
  const { changed, entries } = Array.isArray(before) ? walkArray(before, after as unknown[], path, ops) : walkObject(before as Record<string, unknown>, after as Record<string, unknown>, path, ops);
  // Only when most of it changed is the whole value worth serializing to compare; the root is a snapshot's job.
  if (path === "" || changed < 2 || changed * 2 < entries) return;
  const whole: PatchOperation = { op: "replace", path, value: after };
  const size = sizeOf(whole);
  if (size > partsSize(ops, start)) return;
  ops.list.length = start;
  ops.sizes.length = start;
  push(ops, whole);
  // Known now, so a container above that weighs this op does not serialize the value again.
  ops.sizes[start] = size;
}

/** Common entries diffed in place; extra ones removed from the end, new ones added at it (indices stay valid in order). */
function walkArray(before: unknown[], after: unknown[], path: string, ops: Ops): { changed: number; entries: number } {
  let changed = 0;
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) {
    const at = ops.list.length;
    walk(jsonEntry(before[i]), jsonEntry(after[i]), `${path}/${i}`, ops);
    if (ops.list.length > at) changed += 1;
  }
  for (let i = before.length - 1; i >= after.length; i--, changed++) push(ops, { op: "remove", path: `${path}/${i}` });
  for (let i = before.length; i < after.length; i++, changed++) push(ops, { op: "add", path: `${path}/${i}`, value: jsonEntry(after[i]) });
  return { changed, entries: Math.max(before.length, after.length) };
}

function walkObject(before: Record<string, unknown>, after: Record<string, unknown>, path: string, ops: Ops): { changed: number; entries: number } {
  let changed = 0;
  const afterKeys = Object.keys(after);
  for (const key of Object.keys(before)) {
    const old = before[key];
    if (old === undefined) continue;
    const next = Object.hasOwn(after, key) ? after[key] : undefined;
    if (next === old) continue;
    changed += 1;
    if (next === undefined) push(ops, { op: "remove", path: childPath(path, key) });
    else walk(old, next, childPath(path, key), ops);
  }
  for (const key of afterKeys) {
    const next = after[key];
    if (next === undefined || (Object.hasOwn(before, key) && before[key] !== undefined)) continue;
    changed += 1;
    push(ops, { op: "add", path: childPath(path, key), value: next });
  }
  return { changed, entries: afterKeys.length };
}

function push(ops: Ops, op: PatchOperation): void {
  if ("value" in op) assertSafeValue(op.value, op.path, ops.checked);
  ops.list.push(op);
  ops.sizes.push(-1);
}

/** The JSON length of the ops from `start` on, each serialized at most once however many containers ask. */
function partsSize(ops: Ops, start: number): number {
  let total = 0;
  for (let i = start; i < ops.list.length; i++) {
    if (ops.sizes[i] === -1) ops.sizes[i] = sizeOf(ops.list[i] as PatchOperation);
    total += (ops.sizes[i] as number) + 1;
  }
  return total;
}

const sizeOf = (op: PatchOperation): number => JSON.stringify(op).length;

/** JSON writes an array's undefined entry as null; so does the patch, or its `value` would vanish. */
const jsonEntry = (value: unknown): unknown => (value === undefined ? null : value);

const isContainer = (value: unknown): value is Container => typeof value === "object" && value !== null;

/** A JSON Pointer one key deeper (RFC 6901 escapes), refusing prototype keys. */
function childPath(path: string, key: string): string {
  if (unsafeKeys.has(key)) throw new Error(`unsafe key in patch path ${path}/${key}`);
  return `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** Views are pure and not changed while diffed, so a value checked once in a diff stays safe for the rest of it. */
function assertSafeValue(value: unknown, path: string, checked: Set<object>): void {
  if (typeof value !== "object" || value === null || checked.has(value)) return;
  for (const key of Object.keys(value)) {
    if (unsafeKeys.has(key)) throw new Error(`unsafe key ${key} in patch value at ${path}`);
    assertSafeValue((value as Record<string, unknown>)[key], path, checked);
  }
  checked.add(value);
}
