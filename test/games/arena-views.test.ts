// The arena's views without fog: every audience shown every player, the members list kept from tick to tick while no one's id, team or score changed.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type LogEntry, type MatchRecord } from "../../src/engine/match.ts";
import { arena, type ArenaConfig, type ArenaState, type ArenaView } from "../../src/games/arena.ts";

const config = arena.presets["bench"] as ArenaConfig;
/** What a team sees, or the spectators (no team). */
function viewOf(state: ArenaState, team?: string): ArenaView {
  const view = team === undefined ? arena.spectatorView(state, config) : arena.teamView(state, team, config);
  if (view === null) throw new Error("the arena has spectators");
  return view;
}
const join = (player: string, team: string): LogEntry => ({ kind: "join", player, name: player, team });
const step = (record: MatchRecord<ArenaState>, entries: LogEntry[] = []): MatchRecord<ArenaState> =>
  advance(arena, record, { tick: record.tick, time: record.tick * 50, entries, ticks: 1 }).record;
const members = (state: ArenaState) => Object.values(state.players).map(({ id, team, score }) => ({ id, team, score }));

describe("the arena's views without fog", () => {
  const start = step(createMatch(arena, { preset: "bench", seed: 5, time: 0 }), [join("ann", "red"), join("bob", "blue")]);
  const moving = step(start, ["ann", "bob"].map((player, i): LogEntry => ({ kind: "act", player, seq: 1, action: "input", payload: { dx: 1, dy: i } })));

  it("show every audience the same lists, and keep the members list while players only move", () => {
    const next = step(moving);
    const [red, blue, spectator] = [viewOf(next.state, "red"), viewOf(next.state, "blue"), viewOf(next.state)];
    expect(blue.players).toBe(red.players);
    expect(spectator.at).toBe(red.at);
    const before = viewOf(moving.state, "red");
    expect(red.players).toBe(before.players);
    expect(red.at).not.toEqual(before.at);
    expect(red.players).toEqual(members(next.state));
  });

  it("list anew a player who joined, and a score that changed, even in a state whose scores are the same object", () => {
    const joined = step(moving, [join("cy", "red")]);
    expect(joined.state.scores).toBe(moving.state.scores);
    expect(viewOf(joined.state, "red").players).toEqual(members(joined.state));
    const ann = joined.state.players.ann;
    if (!ann) throw new Error("not seated");
    const scored: ArenaState = { ...joined.state, players: { ...joined.state.players, ann: { ...ann, score: 3 } } };
    const view = viewOf(scored);
    expect(view.players).toEqual(members(scored));
    expect(view.players[0]?.score).toBe(3);
  });
});
