// The arena's rules: moving by the latest input, taking orbs (once each, by the first player on it), pings that expire, and its migration from version 1.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type MatchRecord } from "../../src/engine/match.ts";
import { arena, type ArenaState } from "../../src/games/arena.ts";

const seated = (preset = "default", seed = 8): MatchRecord<ArenaState> =>
  advance(arena, createMatch(arena, { preset, seed, time: 0 }), {
    tick: 0, time: 0, ticks: 0,
    entries: [{ kind: "join", player: "ann", name: "ann", team: "red" }, { kind: "join", player: "bob", name: "bob", team: "blue" }],
  }).record;

describe("the arena's tick", () => {
  it("gives an orb to the first player on it, once, scores it for the team, and moves the orb", () => {
    const start = seated();
    const { ann, bob } = start.state.players;
    if (!ann || !bob) throw new Error("not seated");
    // Both players and one orb on the same spot: the orb goes to ann, who joined first.
    const state = { ...start.state, players: { ann, bob: { ...bob, x: ann.x, y: ann.y } }, orbs: { ...start.state.orbs, o0: { x: ann.x, y: ann.y } } };
    const after = advance(arena, { ...start, state }, { tick: start.tick, time: 50, entries: [], ticks: 1 }).record.state;
    expect(after.players.ann?.score).toBe(1);
    expect(after.players.bob?.score).toBe(0);
    expect(after.scores).toEqual({ red: 1, blue: 0 });
    expect(after.orbs.o0).not.toEqual({ x: ann.x, y: ann.y });
    expect(after.players.ann).toMatchObject({ x: ann.x, y: ann.y });
  });

  it("moves a player by its latest input and leaves the others the same objects", () => {
    const start = seated();
    const moved = advance(arena, start, { tick: 0, time: 50, ticks: 1, entries: [{ kind: "act", player: "bob", seq: 1, action: "input", payload: { dx: -1, dy: 0 } }] }).record;
    expect(moved.state.players.bob?.x).toBeCloseTo((start.state.players.bob?.x ?? 0) - 10, 5);
    expect(moved.state.players.ann).toBe(start.state.players.ann);
  });

  it("takes a team's ping down when its time is up", () => {
    const start = seated();
    const pinged = advance(arena, start, { tick: 0, time: 50, ticks: 0, entries: [{ kind: "act", player: "ann", seq: 1, action: "ping", payload: { x: 10, y: 10, label: "here" } }] }).record;
    expect(pinged.state.pings.red).toMatchObject({ label: "here", until: 60 });
    // Up for its 60 ticks; the tick after them (it sees 60 completed) takes it down.
    const later = advance(arena, pinged, { tick: 0, time: 100, ticks: 60, entries: [] }).record;
    expect(later.state.pings.red).not.toBeNull();
    expect(advance(arena, later, { tick: 60, time: 150, ticks: 1, entries: [] }).record.state.pings.red).toBeNull();
  });
});

describe("arena's migration from version 1", () => {
  it("moves each saved input onto its player, so the next tick moves the players as version 1 did", () => {
    const now = advance(arena, seated("bench", 4), { tick: 0, time: 0, ticks: 0, entries: [{ kind: "act", player: "ann", seq: 1, action: "input", payload: { dx: 1, dy: -0.5 } }] }).record;
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
