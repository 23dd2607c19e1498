// Per-audience updates: diff views, skip what did not change, prefer a snapshot when it is shorter.
import { describe, expect, it } from "vitest";
import { diff } from "../../src/engine/updates/patch.ts";
import { updateFor } from "../../src/engine/updates/views.ts";
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

  it("is nothing when the view did not change, or a patch with no ops when asked for one (it carries acks)", () => {
    const view = { a: 1 };
    expect(updateFor({ version: 1, view }, view, 2)).toBeUndefined();
    expect(updateFor({ version: 1, view }, { a: 1 }, 2)).toBeUndefined();
    const empty = updateFor({ version: 1, view }, { a: 1 }, 3, true);
    expect(JSON.parse(empty?.text ?? "null")).toEqual({ type: "patch", from: 1, to: 3, ops: [] });
    expect(empty?.sent).toMatchObject({ version: 3, view });
  });

  it("replaces a container whole when most of it changed and that op is shorter, else targets what changed", () => {
    const at = Array.from({ length: 16 }, (_, i) => [i * 10.25, 500.5]);
    const view = { game: { players: at.map((_, i) => ({ id: `player-${i}`, score: 0 })), at } };
    const moved = { game: { ...view.game, at: at.map(([x, y]) => [(x ?? 0) + 10, y ?? 0]) } };
    expect(diff(view, moved)).toEqual([{ op: "replace", path: "/game/at", value: moved.game.at }]);
    const one = { game: { ...view.game, at: at.map((p, i) => (i === 3 ? [40.75, 500.5] : p)) } };
    expect(diff(view, one)).toEqual([{ op: "replace", path: "/game/at/3/0", value: 40.75 }]);
    // Every player object changed in most of its fields: each is one op, and all of them one op on the map.
    const players = { a: { x: 1, y: 1, dx: 1, dy: 0, score: 1 }, b: { x: 5, y: 5, dx: 0, dy: 1, score: 2 } };
    const ticked = { a: { ...players.a, x: 2, score: 1.05 }, b: { ...players.b, y: 6, score: 2.05 } };
    expect(diff({ players }, { players: ticked })).toEqual([{ op: "replace", path: "/players", value: ticked }]);
    for (const [before, after] of [[view, moved], [view, one], [{ players }, { players: ticked }]] as const) expect(applyOps(before, diff(before, after))).toEqual(after);
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
