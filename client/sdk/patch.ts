// Applies server patches to a local view: the one place the client talks to fast-json-patch.
import jsonpatch, { type Operation } from "fast-json-patch";

// The default import is the one shape both its CommonJS build (plain Node) and its ESM build (bundlers) share.
const { applyPatch } = jsonpatch;

/**
 * The view after `ops`, or undefined when the patch does not apply. Validation is on and prototype
 * paths are banned: fast-json-patch's defaults would let `/constructor/...` overwrite globals.
 * The input view is never changed: the patch is applied to a deep copy.
 */
export function applyOps<View>(view: View, ops: readonly Operation[]): View | undefined {
  try {
    return applyPatch(structuredClone(view), ops as Operation[], true, true, true).newDocument as View;
  } catch {
    return undefined;
  }
}
