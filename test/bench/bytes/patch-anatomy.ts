// Where the bytes of one patch message go: envelope, ops by field, paths versus values versus JSON syntax.
import type { PatchMessage } from "../../../src/protocol/messages.ts";

export interface Anatomy {
  readonly bytes: number;
  readonly ops: number;
  readonly bytesPerOp: number;
  /** `{"type":"patch","from":…,"to":…,"ops":[]}` without the ops. */
  readonly envelopeBytes: number;
  /** The path strings, quotes included. */
  readonly pathBytes: number;
  /** The JSON of the values. */
  readonly valueBytes: number;
  /** What is left: `{"op":"replace","path":,"value":}` and commas, per op. */
  readonly syntaxBytes: number;
  /** Ops per last path segment (x, y, lastInput…), and per op kind. */
  readonly opsByField: Readonly<Record<string, number>>;
  readonly opsByKind: Readonly<Record<string, number>>;
  /** Ops that touch the roster rather than the game view. */
  readonly rosterOps: number;
  /** The path prefix every player op repeats, and its share of the path bytes. */
  readonly examplePath: string;
}

export function anatomy(text: string): Anatomy {
  const message = JSON.parse(text) as PatchMessage;
  const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  const opsByField: Record<string, number> = {};
  const opsByKind: Record<string, number> = {};
  let pathBytes = 0;
  let valueBytes = 0;
  for (const op of message.ops) {
    count(opsByField, op.path.slice(op.path.lastIndexOf("/") + 1));
    count(opsByKind, op.op);
    pathBytes += Buffer.byteLength(JSON.stringify(op.path));
    if ("value" in op) valueBytes += Buffer.byteLength(JSON.stringify(op.value));
  }
  const bytes = Buffer.byteLength(text);
  const envelopeBytes = Buffer.byteLength(JSON.stringify({ ...message, ops: [] }));
  return {
    bytes,
    ops: message.ops.length,
    bytesPerOp: Math.round(((bytes - envelopeBytes) / Math.max(1, message.ops.length)) * 10) / 10,
    envelopeBytes,
    pathBytes,
    valueBytes,
    syntaxBytes: bytes - envelopeBytes - pathBytes - valueBytes,
    opsByField,
    opsByKind,
    rosterOps: message.ops.filter((op) => op.path.startsWith("/roster")).length,
    examplePath: message.ops[0]?.path ?? "",
  };
}
