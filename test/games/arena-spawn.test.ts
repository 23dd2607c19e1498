// The fogged arena with two players: they spawn in sight of each other, so a two-player match starts with a meeting.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type LogEntry, type MatchRecord } from "../../src/engine/match.ts";
import { viewFor } from "../../src/engine/updates/views.ts";
import { arena, shownPlayer, type ArenaView } from "../../src/games/arena.ts";

const SEEDS = 200;
const pair: LogEntry[] = [{ kind: "join", player: "ann", name: "ann", team: "red" }, { kind: "join", player: "bob", name: "bob", team: "blue" }];

function spawned(preset: string, seed: number): MatchRecord {
  return advance(arena, createMatch(arena, { preset, seed, time: 0 }) as never, { tick: 0, time: 0, entries: pair, ticks: 0 }).record;
}

describe("arena spawns", () => {
  it(`put two players of the fogged default preset in each other's sight, for ${SEEDS} seeds`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const record = spawned("default", seed);
      const red = viewFor(arena, record as never, "team:red").game as ArenaView;
      const blue = viewFor(arena, record as never, "team:blue").game as ArenaView;
      expect(red.fogRadius).not.toBeNull();
      expect(red.players.map((p) => p.id).sort(), `seed ${seed}`).toEqual(["ann", "bob"]);
      expect(blue.players.map((p) => p.id).sort(), `seed ${seed}`).toEqual(["ann", "bob"]);
      // Red starts left of the centre, blue right of it.
      expect(shownPlayer(red, "ann")?.x).toBeLessThanOrEqual(500);
      expect(shownPlayer(red, "bob")?.x).toBeGreaterThanOrEqual(500);
    }
  });

  it("spread players over the whole world in the unfogged bench preset", () => {
    const far = Array.from({ length: SEEDS }, (_, i) => {
      const players = (spawned("bench", i + 1).state as { players: Record<string, { x: number; y: number }> }).players;
      const [a, b] = [players["ann"], players["bob"]];
      return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
    }).filter((distance) => distance > 250);
    expect(far.length).toBeGreaterThan(SEEDS / 2);
  });
});
