// A match saved by arena version 1 (inputs in their own map) resumes under version 2 (each input on its player) and moves the same.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type MatchRecord } from "../../src/engine/match.ts";
import { arena, type ArenaState } from "../../src/games/arena.ts";

const seated = (): MatchRecord<ArenaState> =>
  advance(arena, createMatch(arena, { preset: "bench", seed: 4, time: 0 }), {
    tick: 0, time: 0, ticks: 0,
    entries: [{ kind: "join", player: "ann", name: "ann", team: "red" }, { kind: "join", player: "bob", name: "bob", team: "blue" }],
  }).record;

describe("arena's migration from version 1", () => {
  it("moves each saved input onto its player, so the next tick moves the players as version 1 did", () => {
    const now = advance(arena, seated(), { tick: 0, time: 0, ticks: 0, entries: [{ kind: "act", player: "ann", seq: 1, action: "input", payload: { dx: 1, dy: -0.5 } }] }).record;
    const { ann, bob } = now.state.players;
    if (!ann || !bob) throw new Error("not seated");
    const strip = ({ dx: _dx, dy: _dy, ...rest }: typeof ann) => rest;
    const saved = { ...now.state, players: { ann: strip(ann), bob: strip(bob) }, inputs: { ann: { dx: 1, dy: -0.5 } } };
    const migrated = arena.migrate(saved, 1);
    expect(migrated).toEqual(now.state);
    const ticked = advance(arena, { ...now, state: migrated as ArenaState }, { tick: 0, time: 0, ticks: 1, entries: [] }).record;
    expect(ticked.state.players.ann).toMatchObject({ x: ann.x + 10, y: ann.y - 5 });
    expect(ticked.state.players.bob).toEqual(bob);
  });

  it("refuses what is not a version 1 state", () => {
    expect(arena.migrate({ players: {} }, 1)).toBeNull();
    expect(arena.migrate(null, 1)).toBeNull();
    expect(arena.migrate(seated().state, 3)).toBeNull();
  });
});
