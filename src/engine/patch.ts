// RFC 6902 diffs between two views: the one place that talks to fast-json-patch on the server.
import jsonpatch from "fast-json-patch";
import { UNSAFE_KEYS, type PatchOperation } from "../protocol/messages.ts";

// The default import is the one shape both its CommonJS build and its ESM build share.
const { compare } = jsonpatch;

// The client SDK refuses the same keys.
const unsafeKeys: ReadonlySet<string> = new Set(UNSAFE_KEYS);

/**
 * The operations that turn `before` into `after`. Identical references are skipped without being
 * walked (fast-json-patch checks `===` first), so unchanged parts of a view cost nothing.
 * Throws on a key that could pollute a client's prototypes: views are built from game state,
 * so such a key is a bug in the game, and sending it would be worse than failing the update.
 */
export function diff(before: unknown, after: unknown): PatchOperation[] {
  const ops = compare(before as object, after as object);
  for (const op of ops) {
    assertSafePath(op.path);
    if ("value" in op) assertSafeValue(op.value, op.path);
  }
  return ops;
}

function assertSafePath(path: string): void {
  for (const token of path.split("/")) {
    if (unsafeKeys.has(token)) throw new Error(`unsafe key in patch path ${path}`);
  }
}

function assertSafeValue(value: unknown, path: string): void {
  if (typeof value !== "object" || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (unsafeKeys.has(key)) throw new Error(`unsafe key ${key} in patch value at ${path}`);
    assertSafeValue(child, path);
  }
}
