// Applies server patches to a local view: the one place the client talks to fast-json-patch.
import jsonpatch, { type Operation } from "fast-json-patch";
import type { UNSAFE_KEYS } from "../../src/protocol/messages.ts";

// The default import is the one shape both its CommonJS build (plain Node) and its ESM build (bundlers) share.
const { applyPatch } = jsonpatch;

// Checked against the protocol's list by the compiler, so the two cannot drift (a value import would bundle zod).
const unsafeKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"] as const satisfies typeof UNSAFE_KEYS);

type Container = Record<string, unknown> | unknown[];

/**
 * The view after `ops`, or undefined when the patch does not apply. Validation is on and prototype
 * paths are banned: fast-json-patch's defaults would let `/constructor/...` overwrite globals. Values
 * carrying such keys are refused too (the server never sends them): a `__proto__` own key is harmless
 * until some later `Object.assign` turns it into a prototype.
 *
 * The input view is never changed. Only the objects along the ops' paths are copied; everything else is
 * shared with the input, so a patch costs what it touches, not the size of the view, and unchanged parts
 * keep their identity (a renderer can skip them by reference).
 */
export function applyOps<View>(view: View, ops: readonly Operation[]): View | undefined {
  if (ops.some((op) => "value" in op && hasUnsafeKey(op.value))) return undefined;
  try {
    return applyPatch(copyAlong(view, ops), ops as Operation[], true, true, true).newDocument as View;
  } catch {
    return undefined;
  }
}

/** A copy of `view` in which every container an op writes through is a fresh shallow copy. */
function copyAlong<View>(view: View, ops: readonly Operation[]): View {
  if (!isContainer(view)) return view;
  // `move` and `copy` can carry a shared subtree to a new place that later ops write into; the server never
  // sends them, so such a patch simply takes the slow, safe path.
  if (ops.some((op) => op.op === "move" || op.op === "copy")) return structuredClone(view);
  const copies = new Set<Container>();
  const copy = (node: Container): Container => {
    const fresh = Array.isArray(node) ? [...node] : { ...node };
    copies.add(fresh);
    return fresh;
  };
  const root = copy(view);
  for (const op of ops) {
    let node = root;
    // Every container above the op's target; the target's own parent is the last one copied.
    for (const token of op.path.split("/").slice(1, -1).map(unescapeToken)) {
      const child: unknown = Object.hasOwn(node, token) ? (node as Record<string, unknown>)[token] : undefined;
      if (!isContainer(child)) break;
      const next = copies.has(child) ? child : copy(child);
      (node as Record<string, unknown>)[token] = next;
      node = next;
    }
  }
  return root as View;
}

const isContainer = (value: unknown): value is Container => typeof value === "object" && value !== null;
const unescapeToken = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~");

function hasUnsafeKey(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([key, child]) => unsafeKeys.has(key) || hasUnsafeKey(child));
}
