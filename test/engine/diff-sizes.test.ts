// The diff measures ops by arithmetic, reuses the texts it built and, within a broadcast, the lists it diffed: exactly the ops and JSON it gave when it serialized.
import { describe, expect, it } from "vitest";
import { applyOps } from "../../client/sdk/patch.ts";
import { diff, patchOf, type DiffMemo } from "../../src/engine/updates/patch.ts";
import { updateFor } from "../../src/engine/updates/views.ts";
import { createRandom, type Random } from "../../src/engine/random.ts";
import { referenceDiff } from "./diff-reference.ts";

// Keys and strings JSON escapes (quote, backslash, control, lone surrogate) or a pointer escapes (~, /), beside plain ones.
const keys = ["a", "at", 'q"', "b\\s", "\n", "\ud800", "🎲", "m~n", "a/b", "é", "0", "players"];
const strings = ["", "x", '"', "\\", "\u0001", "\ud801", "🎲", "\u2028", "long", "long ".repeat(3), "long ".repeat(12)];
const FIRST_SEED = 0x51e5;

const pick = <T>(random: Random, items: readonly T[]): T => items[random.int(items.length)] as T;

function primitive(random: Random): unknown {
  switch (random.int(6)) {
    case 0: return null;
    case 1: return random.next() < 0.5;
    case 2: return random.int(2000) - 1000;
    case 3: return Math.round(random.between(0, 1000) * 100) / 100;
    case 4: return random.next() < 0.1 ? undefined : random.int(10);
    default: return pick(random, strings);
  }
}

/** A flat array (a position, a row of scores), sometimes with a hole. */
function flat(random: Random): unknown[] {
  const items = Array.from({ length: random.next() < 0.2 ? 10 + random.int(6) : random.int(6) }, () => primitive(random));
  if (items.length > 2 && random.next() < 0.1) delete items[1];
  return items;
}

/** A view shaped like a tick's: lists of flat arrays, flat arrays and plain values under keys that need escaping. */
function view(random: Random, depth = 0): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (let n = 1 + random.int(4); n > 0; n -= 1) {
    const roll = random.next();
    result[pick(random, keys)] =
      roll < 0.3 ? Array.from({ length: random.int(18) }, () => flat(random)) : roll < 0.6 ? flat(random) : roll < 0.75 && depth < 2 ? view(random, depth + 1) : primitive(random);
  }
  return result;
}

/** The next tick: each flat array entry moves with probability `moves`, lists grow or shrink, the rest stays shared. */
function tick(random: Random, value: unknown, moves: number): unknown {
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item !== "object" || item === null)) {
      const next = Array.from(value, (item) => (random.next() < moves ? primitive(random) : item));
      if (random.next() < 0.15) next.push(primitive(random));
      if (random.next() < 0.15) next.pop();
      return random.next() < 0.2 ? value : next;
    }
    const next = value.map((item) => tick(random, item, moves));
    if (random.next() < 0.1) next.push(flat(random));
    if (random.next() < 0.1) next.splice(random.int(next.length + 1), 1);
    return next;
  }
  if (typeof value === "object" && value !== null) {
    const next: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) if (random.next() > 0.05) next[key] = tick(random, child, moves);
    if (random.next() < 0.1) next[pick(random, keys)] = flat(random);
    return next;
  }
  return random.next() < moves / 3 ? primitive(random) : value;
}

/** JSON text with every object's keys sorted: a patch may add a key at the end that `after` has in the middle. */
const sorted = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

describe("the diff's sizes", () => {
  it("choose exactly the ops that serializing each candidate chose, for 10,000 random ticks", () => {
    for (let i = 0; i < 10_000; i += 1) {
      const seed = FIRST_SEED + i;
      const random = createRandom(seed);
      const before = view(random);
      const after = tick(random, before, random.next());
      const ops = diff(before, after);
      // Compared as JSON text, which is what a client gets (an undefined entry is null) and escapes the lone
      // surrogates that a failure message could not carry out of workerd.
      const context = `seed ${seed}: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`;
      expect(JSON.stringify(ops), context).toBe(JSON.stringify(referenceDiff(before, after)));
      // The text the diff builds from the values' texts it weighed is the ops' JSON, and so is the message's.
      const patch = patchOf(before, after);
      expect(patch.text, context).toBe(JSON.stringify(ops));
      const update = JSON.stringify({ type: "patch", from: 7, to: 8, ops });
      expect(updateFor({ version: 7, view: before, snapshotLength: 1e9 }, after, 8, true)?.text, context).toBe(update);
      const wire = (value: unknown) => JSON.parse(JSON.stringify(value));
      expect(sorted(applyOps(wire(before), wire(ops))), context).toBe(sorted(after));
    }
  });

  it("replace a list of moved positions whole, and a position with one moved coordinate by that coordinate", () => {
    const at = Array.from({ length: 16 }, (_, i) => [i * 10.25, 500.5]);
    const moved = at.map(([x, y], i) => (i === 3 ? [x, y] : [(x ?? 0) + 1.5, (y ?? 0) - 0.25]));
    expect(diff({ game: { at } }, { game: { at: moved } })).toEqual([{ op: "replace", path: "/game/at", value: moved }]);
    const slid = at.map(([x, y], i) => [i === 3 ? 999 : x, y]);
    expect(diff({ game: { at } }, { game: { at: slid } })).toEqual([{ op: "replace", path: "/game/at/3/0", value: 999 }]);
    // Two of three entries changed, but the unchanged one is long: the entries' ops are shorter than the whole.
    const row = ["long ".repeat(20), 1, 2];
    expect(diff({ row }, { row: [row[0], 3, 4] })).toEqual([{ op: "replace", path: "/row/1", value: 3 }, { op: "replace", path: "/row/2", value: 4 }]);
  });

  it("break a tie between a flat array and its entries' ops as serializing did: whole when as long, entries when shorter", () => {
    // Two ops of 40 characters and a comma each (82) against `{"op":"replace","path":"/r","value":[1,1,S]}` (43 + S).
    for (const [padding, whole] of [[37, true], [38, false]] as const) {
      const s = "s".repeat(padding);
      const [before, after] = [{ r: [0, 0, s] }, { r: [1, 1, s] }];
      const ops = diff(before, after);
      expect(ops).toEqual(referenceDiff(before, after));
      expect(ops.length === 1, `padding ${padding}`).toBe(whole);
      expect(ops.map((op) => JSON.stringify(op).length + 1).reduce((a, b) => a + b)).toBe(whole ? 44 + padding + 2 : 82);
    }
  });

  it("still refuse a prototype key inside a list replaced whole", () => {
    const poisoned = [[1, 2], JSON.parse('{"__proto__": 1}'), [3, 4]];
    expect(() => diff({ list: [[0, 0], { a: 1 }, [0, 0]] }, { list: poisoned })).toThrow(/unsafe key/);
    expect(() => diff({ list: [[0, 0]] }, { list: [[1, [JSON.parse('{"constructor": 1}')]]] })).toThrow(/unsafe key/);
    // A value that was plain before, and an entry unchanged but part of the whole value sent, are checked too.
    expect(() => diff({ list: [[0, 0], [0, 0], 5] }, { list: [[1, 1], [1, 1], JSON.parse('{"__proto__": 1}')] })).toThrow(/unsafe key/);
    const shared = [JSON.parse('{"constructor": 1}')];
    const positions = (at: number) => Array.from({ length: 4 }, () => [at, at]);
    expect(() => diff({ list: [...positions(0), shared] }, { list: [...positions(1), shared] })).toThrow(/unsafe key/);
  });
});

describe("a broadcast's diff memo", () => {
  it("gives every audience exactly the patch it would get alone, for 2,000 random ticks of views sharing lists", () => {
    for (let i = 0; i < 2_000; i += 1) {
      const seed = FIRST_SEED + 100_000 + i;
      const random = createRandom(seed);
      const [shared, own] = [view(random), view(random)];
      const [sharedNext, ownNext] = [tick(random, shared, random.next()), tick(random, own, random.next())];
      // Audiences see the same parts in different places, besides some of their own, as team views do.
      const audiences = [
        { before: { ...shared, own }, after: { ...(sharedNext as object), own: ownNext } },
        { before: { ...shared }, after: { ...(sharedNext as object) } },
        { before: { mine: shared, ...own }, after: { mine: sharedNext, ...(ownNext as object) } },
        { before: { ...shared, own }, after: { ...(sharedNext as object), own: ownNext } },
      ];
      const memo: DiffMemo = new Map();
      for (const { before, after } of audiences) {
        const context = `seed ${seed}: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`;
        expect(patchOf(before, after, memo).text, context).toBe(JSON.stringify(referenceDiff(before, after)));
      }
    }
  });

  it("replays a list's ops only for the same two lists at the same path", () => {
    const [list, moved, other] = [Array.from({ length: 8 }, (_, i) => [i, i]), Array.from({ length: 8 }, (_, i) => [i + 1, i + 1]), Array.from({ length: 8 }, (_, i) => [i, i + 2])];
    const memo: DiffMemo = new Map();
    expect(patchOf({ a: list }, { a: moved }, memo).ops).toEqual([{ op: "replace", path: "/a", value: moved }]);
    expect(patchOf({ b: list }, { b: moved }, memo).ops).toEqual([{ op: "replace", path: "/b", value: moved }]);
    expect(patchOf({ b: list }, { b: other }, memo).ops).toEqual([{ op: "replace", path: "/b", value: other }]);
  });

  it("refuses a prototype key for every audience, not only the first", () => {
    const list = Array.from({ length: 8 }, () => ({ a: 1 }));
    const poisoned = list.map((entry, i) => (i === 3 ? JSON.parse('{"a": 2, "__proto__": 1}') : entry));
    const memo: DiffMemo = new Map();
    for (let audience = 0; audience < 2; audience++) expect(() => patchOf({ list }, { list: poisoned }, memo)).toThrow(/unsafe key/);
  });
});
