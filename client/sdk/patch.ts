// Applies server patches to a local view: the one place the client talks to fast-json-patch.
import { applyPatch, type Operation } from "fast-json-patch";

/**
 * The view after `ops`, or undefined when the patch does not apply. Validation is on and prototype
 * paths are banned: fast-json-patch's defaults would let `/constructor/...` overwrite globals.
 * The input view is never changed; unchanged parts of it are shared with the result.
 */
export function applyOps<View>(view: View, ops: readonly Operation[]): View | undefined {
  try {
    return applyPatch(structuredClone(view), ops as Operation[], true, true, true).newDocument as View;
  } catch {
    return undefined;
  }
}
