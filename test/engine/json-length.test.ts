// jsonLength is JSON.stringify(value).length, and jsonLengthBound never less, for odd values, random JSON and large frozen parts measured once.
import { describe, expect, it } from "vitest";
import { jsonLength, jsonLengthBound } from "../../src/engine/json-length.ts";
import { createRandom, type Random } from "../../src/engine/random.ts";

const strings = ["", "x", "a/b", "é", "\u2028", '"q"', "\\", "\n", "\ud800", "🎲"];

/** A random JSON-ish value: containers nest up to `depth`, some entries are large, some unwritten (undefined, functions). */
function value(random: Random, depth: number): unknown {
  const roll = random.next();
  if (depth > 0 && roll < 0.15) return container(random, depth - 1, random.next() < 0.1 ? 300 : random.int(6));
  switch (random.int(7)) {
    case 0: return null;
    case 1: return random.next() < 0.5;
    case 2: return [0, -0, 1e21, 1.5, NaN, Infinity, -3][random.int(7)];
    case 3: return strings[random.int(strings.length)];
    case 4: return undefined;
    case 5: return () => 1;
    default: return random.int(1000);
  }
}

function container(random: Random, depth: number, size: number): unknown {
  const made = random.next() < 0.5
    ? Array.from({ length: size }, () => value(random, depth))
    : Object.fromEntries(Array.from({ length: size }, (_, i) => [strings[i % strings.length] + String(i), value(random, depth)]));
  return random.next() < 0.7 ? Object.freeze(made) : made;
}

describe("jsonLength", () => {
  it("is the length of JSON.stringify's text for random JSON, holes, dates and unwritten values", () => {
    const random = createRandom(0x1e4);
    for (let i = 0; i < 300; i++) {
      const sample = container(random, 3, 1 + random.int(8));
      expect(jsonLength(sample)).toBe(JSON.stringify(sample).length);
    }
    const holes: unknown[] = Array.from({ length: 300 }, (_, i) => ({ i }));
    delete holes[4];
    holes[310] = { last: true };
    for (const odd of [holes, { at: new Date(0), gone: undefined, f: () => 1, list: [undefined, Symbol("s"), { a: 1 }] }, [], {}]) {
      expect(jsonLength(odd)).toBe(JSON.stringify(odd).length);
    }
  });

  it("measures a large frozen part once, and a record that shares it costs only its changed parts", () => {
    const obstacles = Object.freeze(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`b${i}`, Object.freeze({ x: i, y: i / 2 })])));
    const first = { tick: 1, state: { obstacles, players: { a: { x: 1 } } } };
    expect(jsonLength(first)).toBe(JSON.stringify(first).length);
    // A mutable large part is never remembered: changed in place, it is measured again.
    const open: Record<string, number> = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
    const record = { obstacles, open };
    expect(jsonLength(record)).toBe(JSON.stringify(record).length);
    open["k0"] = 123456;
    expect(jsonLength(record)).toBe(JSON.stringify(record).length);
    const next = { tick: 2, state: { obstacles, players: { a: { x: 2 }, b: { x: 3 } } } };
    expect(jsonLength(next)).toBe(JSON.stringify(next).length);
  });
});

describe("jsonLengthBound", () => {
  it("is never less than JSON.stringify's text, for random JSON, the longest numbers and strings JSON escapes", () => {
    const random = createRandom(0xb0d);
    for (let i = 0; i < 300; i++) {
      const sample = container(random, 3, 1 + random.int(8));
      expect(jsonLengthBound(sample)).toBeGreaterThanOrEqual(JSON.stringify(sample).length);
    }
    const longest = [-1.2345678901234567e-308, -2.2250738585072014e-308, Number.MIN_SAFE_INTEGER, -1e21, 5e-324];
    const escaped = ["\u0001".repeat(50), '"'.repeat(40), "\ud800\udc00\ud800", "\\".repeat(9)];
    for (const one of [...longest, ...escaped]) expect(jsonLengthBound(one)).toBeGreaterThanOrEqual(JSON.stringify(one).length);
    for (const odd of [longest, escaped, Object.fromEntries(escaped.map((key, i) => [key, i])), [undefined, () => 1, Symbol("s"), null, false]]) {
      expect(jsonLengthBound(odd)).toBeGreaterThanOrEqual(JSON.stringify(odd).length);
    }
  });

  it("is exact for a string JSON writes as it is, and unknown (Infinity) for a value with its own JSON form", () => {
    expect(jsonLengthBound("plain ascii é 名")).toBe(JSON.stringify("plain ascii é 名").length);
    expect(jsonLengthBound({ at: new Date(0) })).toBe(Infinity);
  });

  it("remembers a frozen part and measures a mutable one again", () => {
    const frozenPart = Object.freeze({ list: Object.freeze(["a", "b"]) });
    const open: Record<string, string> = { k: "x" };
    const record = { frozenPart, open };
    const before = jsonLengthBound(record);
    open["k"] = "x".repeat(1000);
    expect(jsonLengthBound(record)).toBe(before + 999);
  });
});
