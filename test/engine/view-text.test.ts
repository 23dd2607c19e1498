// viewText is JSON.stringify for view data, and reuses the text of a large part that did not change.
import { produce } from "immer";
import { describe, expect, it, vi } from "vitest";
import { createRandom, type Random } from "../../src/engine/random.ts";
import { viewText } from "../../src/engine/updates/view-text.ts";

/** Random JSON data: nested objects and arrays, some of them large, with the odd undefined field. */
function value(random: Random, depth: number): unknown {
  const roll = random.int(depth > 3 ? 5 : 8);
  if (roll === 0) return null;
  if (roll === 1) return random.between(-1e6, 1e6);
  if (roll === 2) return random.next() < 0.5;
  if (roll === 3) return `s${random.int(1000)}\u00e9"\n`;
  if (roll === 4) return random.int(100);
  const size = random.next() < 0.1 ? 300 : random.int(6);
  if (roll === 5) return Array.from({ length: size }, () => value(random, depth + 1));
  return Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, random.next() < 0.05 ? undefined : value(random, depth + 1)]));
}

describe("viewText", () => {
  it("gives exactly JSON.stringify's text for 500 random values", () => {
    const random = createRandom(11);
    for (let i = 0; i < 500; i++) {
      const data = value(random, 0);
      expect(viewText(data)).toBe(JSON.stringify(data) ?? "null");
    }
  });

  it("writes a sparse array's holes as null, as JSON.stringify does, also among objects", () => {
    const sparse: unknown[] = [{ a: 1 }];
    sparse[3] = { b: [2] };
    const large: unknown[] = [];
    large[299] = { c: 3 };
    for (const value of [sparse, { list: sparse }, large]) expect(viewText(value)).toBe(JSON.stringify(value));
  });

  it("reuses a large part's text while it is the same object, and follows it when it changes", () => {
    const state = { tick: 1, obstacles: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`b${i}`, { x: i, y: -i }])) };
    expect(viewText(state)).toBe(JSON.stringify(state));
    const next = produce(state, (draft) => {
      draft.tick = 2;
    });
    expect(next.obstacles).toBe(state.obstacles);
    // The thousand obstacles are not serialized again: a couple of native calls build the rest.
    const stringify = vi.spyOn(JSON, "stringify");
    const text = viewText(next);
    expect(stringify.mock.calls.length).toBeLessThan(5);
    stringify.mockRestore();
    expect(text).toBe(JSON.stringify(next));
    const moved = produce(next, (draft) => {
      const first = draft.obstacles["b0"];
      if (first) first.x = 99;
    });
    expect(moved.obstacles).not.toBe(next.obstacles);
    expect(viewText(moved)).toBe(JSON.stringify(moved));
  });
});
