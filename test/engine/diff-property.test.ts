// The server's diff on random views: applying it with the client's applyOps rebuilds the new view, and it never ships a prototype key.
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { applyOps } from "../../client/sdk/patch.ts";
import { diff } from "../../src/engine/updates/patch.ts";
import type { PatchOperation } from "../../src/protocol/messages.ts";
import { createRandom, type Random } from "../../src/engine/random.ts";
import { referenceDiff } from "./diff-reference.ts";

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

// Few keys, so before and after share most of them; the rest must be escaped in a pointer, look like array
// indices, or merely resemble a prototype key (diff must not refuse those).
const keys = ["a", "b", "c", "d", "a/b", "m~n", "~1", "", "0", "-", " ", "constructors"];
// A prototype key is only dangerous as a key, so one among the string values must go through untouched.
const strings = ["", "x", "a/b", "~0", "🎲", "__proto__"];
const unsafeKeys = ["__proto__", "constructor", "prototype"];
const MAX_DEPTH = 4;
const FIRST_SEED = 0x5eed;

const pick = <T>(random: Random, items: readonly T[]): T => items[random.int(items.length)] as T;

/** A value inside a container at `depth`; containers nest no deeper than MAX_DEPTH. */
function value(random: Random, depth: number): Json {
  const roll = random.next();
  if (depth < MAX_DEPTH && roll < 0.2) return object(random, depth + 1);
  if (depth < MAX_DEPTH && roll < 0.35) return array(random, depth + 1);
  switch (random.int(5)) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    // Neither kind of number can come out as -0, which JSON cannot carry and toEqual tells apart from 0.
    case 2:
      return random.int(21) - 10;
    case 3:
      return random.between(-1000, 1000);
    default:
      return pick(random, strings);
  }
}

function object(random: Random, depth: number): JsonObject {
  const result: JsonObject = {};
  for (let n = random.int(5); n > 0; n -= 1) result[pick(random, keys)] = value(random, depth);
  return result;
}

function array(random: Random, depth: number): Json[] {
  return Array.from({ length: random.int(5) }, () => value(random, depth));
}

/** Every object and array in the tree, with its depth. */
function containers(node: Json, depth = 1, found: { node: JsonObject | Json[]; depth: number }[] = []) {
  if (typeof node !== "object" || node === null) return found;
  found.push({ node, depth });
  for (const child of Object.values(node)) containers(child, depth + 1, found);
  return found;
}

/** One random change somewhere in the tree, in place: on a plain copy or on an immer draft alike. */
function edit(random: Random, root: JsonObject): void {
  const { node, depth } = pick(random, containers(root));
  if (!Array.isArray(node)) {
    const present = Object.keys(node);
    if (present.length > 0 && random.next() < 0.3) delete node[pick(random, present)];
    else node[pick(random, keys)] = value(random, depth);
    return;
  }
  const at = random.int(node.length + 1);
  switch (random.int(4)) {
    case 0:
      node.splice(at, 0, value(random, depth));
      break;
    case 1:
      node.splice(at, 1);
      break;
    case 2:
      node[at] = value(random, depth);
      break;
    default: {
      const [moved] = node.splice(random.int(node.length), 1);
      if (moved !== undefined) node.splice(random.int(node.length + 1), 0, moved);
    }
  }
}

/**
 * Two views (always objects, like the room's views). Mostly the second is a few edits away from the first,
 * made half the time through immer as the engine does, so unchanged parts are shared by reference;
 * sometimes it is unrelated.
 */
function views(random: Random): { before: JsonObject; after: JsonObject } {
  const before = object(random, 1);
  const roll = random.next();
  if (roll < 0.15) return { before, after: object(random, 1) };
  const edits = random.next() < 0.05 ? 0 : 1 + random.int(3);
  const change = (root: JsonObject) => {
    for (let n = 0; n < edits; n += 1) edit(random, root);
  };
  if (roll < 0.575) return { before, after: produce(before, change) };
  const after = structuredClone(before);
  change(after);
  return { before, after };
}

/** The unescaped reference tokens of every pointer in an op. */
function tokens(op: PatchOperation): string[] {
  const pointers = "from" in op ? [op.path, op.from] : [op.path];
  return pointers.flatMap((pointer) => pointer.split("/").slice(1).map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~")));
}

describe("diff", () => {
  it("gives a patch that applyOps turns from before into after, for 10,000 random pairs of views", () => {
    for (let i = 0; i < 10_000; i += 1) {
      const seed = FIRST_SEED + i;
      const { before, after } = views(createRandom(seed));
      const untouched = structuredClone(before);
      const ops = diff(before, after);
      const context = `seed ${seed} (iteration ${i}): before ${JSON.stringify(before)}, ops ${JSON.stringify(ops)}`;
      expect(applyOps(before, ops), context).toEqual(after);
      // The ops the diff gave when it serialized every candidate op to weigh it (diff-sizes.test.ts: on tick-like views).
      expect(ops, context).toEqual(referenceDiff(before, after));
      expect(ops.flatMap(tokens).filter((token) => unsafeKeys.includes(token)), context).toEqual([]);
      // The server diffs against the view it sent last, so neither side may change it.
      expect(before, context).toEqual(untouched);
    }
  });

  it("refuses an after with a prototype key anywhere in it, for 1,000 random pairs of views", () => {
    for (let i = 0; i < 1_000; i += 1) {
      const seed = FIRST_SEED + 1_000_000 + i;
      const random = createRandom(seed);
      const { before, after } = views(random);
      // A plain copy: immer's output is frozen, and only defineProperty makes `__proto__` an own key rather than a prototype.
      const poisoned = structuredClone(after);
      const objects = containers(poisoned).filter(({ node }) => !Array.isArray(node));
      const { node } = pick(random, objects);
      const key = pick(random, unsafeKeys);
      Object.defineProperty(node, key, { value: value(random, 1), enumerable: true, writable: true, configurable: true });
      const context = `seed ${seed} (iteration ${i}): ${key} in ${JSON.stringify(poisoned)}`;
      expect(() => diff(before, poisoned), context).toThrow(/unsafe key/);
    }
  });
});
