// Per-audience updates: diff views, skip what did not change, prefer a snapshot when it is shorter.
import { describe, expect, it } from "vitest";
import { diff } from "../../src/engine/patch.ts";
import { updateFor } from "../../src/engine/views.ts";
import { applyOps } from "../../client/sdk/patch.ts";

describe("a view update", () => {
  it("is a patch that turns the old view into the new one", () => {
    const before = { players: { a: { x: 1, y: 2 }, b: { x: 5, y: 5 } }, scores: { red: 0 }, big: "x".repeat(200) };
    const after = { ...before, players: { ...before.players, a: { x: 2, y: 2 } } };
    const update = updateFor({ version: 3, view: before }, after, 4);
    const message = JSON.parse(update?.text ?? "null");
    expect(message).toMatchObject({ type: "patch", from: 3, to: 4 });
    expect(message.ops).toEqual([{ op: "replace", path: "/players/a/x", value: 2 }]);
    expect(applyOps(before, message.ops)).toEqual(after);
  });

  it("is nothing when the view did not change", () => {
    const view = { a: 1 };
    expect(updateFor({ version: 1, view }, view, 2)).toBeUndefined();
    expect(updateFor({ version: 1, view }, { a: 1 }, 2)).toBeUndefined();
  });

  it("is a snapshot when that is shorter than the patch", () => {
    const before = { list: Array.from({ length: 20 }, (_, i) => i) };
    const after = { list: [] as number[] };
    const message = JSON.parse(updateFor({ version: 1, view: before }, after, 2)?.text ?? "null");
    expect(message).toEqual({ type: "snapshot", version: 2, view: after });
  });

  it("does not walk parts that are identical by reference", () => {
    let reads = 0;
    const shared = new Proxy({ deep: { value: 1 } }, { get: (t, k) => ((reads += 1), Reflect.get(t, k)), ownKeys: (t) => ((reads += 1), Reflect.ownKeys(t)) });
    diff({ shared, n: 1 }, { shared, n: 2 });
    expect(reads).toBe(0);
  });

  it("refuses to emit keys that would reach a client's prototypes", () => {
    expect(() => diff({}, JSON.parse('{"__proto__": {"polluted": true}}'))).toThrow(/unsafe key/);
    expect(() => diff({ a: {} }, { a: { constructor: { prototype: 1 } } })).toThrow(/unsafe key/);
  });
});
