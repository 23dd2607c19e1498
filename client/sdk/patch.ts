// Applies server patches to a local view: the one place the client talks to fast-json-patch.
import jsonpatch, { type Operation } from "fast-json-patch";
import type { UNSAFE_KEYS } from "../../src/engine/patch.ts";

// The default import is the one shape both its CommonJS build (plain Node) and its ESM build (bundlers) share.
const { applyPatch } = jsonpatch;

// Checked against the server's list by the compiler, so the two cannot drift.
const unsafeKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"] as const satisfies typeof UNSAFE_KEYS);

/**
 * The view after `ops`, or undefined when the patch does not apply. Validation is on and prototype
 * paths are banned: fast-json-patch's defaults would let `/constructor/...` overwrite globals. Values
 * carrying such keys are refused too (the server never sends them): a `__proto__` own key is harmless
 * until some later `Object.assign` turns it into a prototype. The input view is never changed.
 */
export function applyOps<View>(view: View, ops: readonly Operation[]): View | undefined {
  if (ops.some((op) => "value" in op && hasUnsafeKey(op.value))) return undefined;
  try {
    return applyPatch(structuredClone(view), ops as Operation[], true, true, true).newDocument as View;
  } catch {
    return undefined;
  }
}

function hasUnsafeKey(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([key, child]) => unsafeKeys.has(key) || hasUnsafeKey(child));
}
