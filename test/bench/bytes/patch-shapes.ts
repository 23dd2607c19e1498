// Other ways to send the same captured stream, to estimate what each change would save on the wire.
import type { PatchOperation } from "../../../src/protocol/messages.ts";

/** One tick's update as the room computes it (its RFC 6902 ops), and the text it actually sent. */
export interface Update {
  readonly from: number;
  readonly to: number;
  readonly ops: readonly PatchOperation[];
  readonly sent: string;
}

/** A client's captured stream in arrival order: updates, and every other message (acks among them) as sent. */
export type Item = { readonly update: Update } | { readonly text: string; readonly ack: boolean };

export interface Capture {
  readonly playerId: string;
  readonly items: readonly Item[];
}

export interface Shape {
  readonly name: string;
  /** What the change would take: where in the code, and what it costs besides bytes. */
  readonly change: string;
  readonly texts: (capture: Capture) => string[];
}

type Encode = (update: Update, playerId: string) => string;

const patchText: Encode = (u) => JSON.stringify({ type: "patch", from: u.from, to: u.to, ops: u.ops });

/** The replace ops of an update folded into one nested object (RFC 7386 JSON Merge Patch shape). */
function merged(ops: readonly PatchOperation[], value: (path: string, v: unknown) => unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const op of ops) {
    if (op.op !== "replace") throw new Error(`the merge shape covers replace ops only, got ${op.op}`);
    const keys = op.path.split("/").slice(1);
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1] ?? ""] = value(op.path, op.value);
  }
  return root;
}

const mergeText = (value: (path: string, v: unknown) => unknown = (_, v) => v): Encode => (u) =>
  JSON.stringify({ type: "merge", from: u.from, to: u.to, set: merged(u.ops, value) });

const centi = (path: string, v: unknown): unknown => (/\/(x|y)$/.test(path) && typeof v === "number" ? Math.round(v * 100) : v);

/** Each update encoded by `encode`; other messages as sent, acks only when `acks`. */
const stream = (encode: Encode, acks: boolean) => (capture: Capture): string[] =>
  capture.items.flatMap((item) => ("update" in item ? [encode(item.update, capture.playerId)] : acks || !item.ack ? [item.text] : []));

const ownLastInputOnly = (encode: Encode): Encode => (u, playerId) =>
  encode({ ...u, ops: u.ops.filter((op) => !op.path.endsWith("/lastInput") || op.path.includes(`/${playerId}/`)) }, playerId);

export const SHAPES: readonly Shape[] = [
  { name: "as sent", change: "today: per tick the shorter of the RFC 6902 patch and the snapshot, plus an ack per input", texts: stream((u) => u.sent, true) },
  { name: "always the RFC 6902 patch", change: "what the patch alone would cost (today it loses to the snapshot at 16 players)", texts: stream(patchText, true) },
  {
    name: "ops as [path, value] pairs",
    change: "patch shape: a replace op is [path, value]; others keep the RFC 6902 object (views.ts updateFor, SDK patch.ts)",
    texts: stream((u) => JSON.stringify({ type: "patch", from: u.from, to: u.to, ops: u.ops.map((op) => (op.op === "replace" ? [op.path, op.value] : op)) }), true),
  },
  {
    name: "merge patch (changed fields nested by entity)",
    change: "patch shape: replace ops folded into an RFC 7386 merge object, so a player id is written once per tick, not once per field",
    texts: stream(mergeText(), true),
  },
  {
    name: "snapshot, no input acks",
    change: "Fanout.answer: no ack for an action whose effect the view acknowledges (lastInput); acks stay for turn-based actions, errors always",
    texts: stream((u) => u.sent, false),
  },
  { name: "merge patch, no input acks", change: "both of the above", texts: stream(mergeText(), false) },
  {
    name: "merge patch, no input acks, x/y as integer centi-units",
    change: "also: the game keeps positions in hundredths (integers): no decimal point, fewer distinct digit strings",
    texts: stream(mergeText(centi), false),
  },
  {
    name: "merge patch, no input acks, only own lastInput",
    change: "also: other players' lastInput left out (a per-player field in the fanout, or per-player views: more CPU; departs from the scenario's state)",
    texts: stream(ownLastInputOnly(mergeText()), false),
  },
];
