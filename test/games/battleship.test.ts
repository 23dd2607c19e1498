// Battleship's rules, pure: placement, turns, sinking, the turn timer, and what each team may see.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type LogEntry, type MatchRecord } from "../../src/engine/match.ts";
import { viewFor } from "../../src/engine/updates/views.ts";
import { battleship, cellsOf, type BattleshipState, type BattleshipView } from "../../src/games/battleship.ts";

const game = battleship;
let clock = 1_000_000;
const step = (record: MatchRecord<BattleshipState>, ...entries: LogEntry[]) => {
  clock += 1000;
  return advance(game, record, { tick: 0, time: clock, entries, ticks: 0 });
};
const act = (p: string, s: number, a: string, d: unknown = {}): LogEntry => ({ kind: "act", player: p, seq: s, action: a, payload: d });

/** Two players, fleets placed by shuffle, both ready: red to fire. */
function started(preset = "quick"): MatchRecord<BattleshipState> {
  let record = createMatch(game, { preset, seed: 5, time: clock });
  record = step(record, { kind: "join", player: "r", name: "r", team: "red" }, { kind: "join", player: "b", name: "b", team: "blue" }).record;
  record = step(record, act("r", 1, "shuffle"), act("b", 1, "shuffle"), act("r", 2, "ready"), act("b", 2, "ready")).record;
  return record;
}

describe("battleship", () => {
  it("refuses fleets that overlap, leave the board or do not match the preset", () => {
    const record = createMatch(game, { preset: "quick", seed: 1, time: clock });
    const seated = step(record, { kind: "join", player: "r", name: "r", team: "red" }).record;
    const place = (ships: unknown) => step(seated, act("r", 1, "place", { ships })).outcomes[0]?.error?.detail;
    expect(place([{ x: 0, y: 0, vertical: false }, { x: 0, y: 0, vertical: true }, { x: 4, y: 4, vertical: false }])).toBe("overlap");
    expect(place([{ x: 5, y: 0, vertical: false }, { x: 0, y: 2, vertical: true }, { x: 4, y: 4, vertical: false }])).toBe("off_board");
    expect(place([{ x: 0, y: 0, vertical: false }])).toBe("wrong_fleet");
    expect(place([{ x: 0, y: 0, vertical: false }, { x: 0, y: 2, vertical: false }, { x: 0, y: 4, vertical: false }])).toBeUndefined();
  });

  it("starts when both teams are ready, with red to fire and a turn timer", () => {
    const record = started();
    expect(record.state).toMatchObject({ phase: "firing", turn: "red", turnEndsAt: clock + 30_000 });
    expect(game.deadline(record.state)).toBe(clock + 30_000);
  });

  it("alternates turns and refuses a shot out of turn or at a tried cell", () => {
    let record = started();
    expect(step(record, act("b", 3, "fire", { x: 0, y: 0 })).outcomes[0]?.error?.detail).toBe("not_your_turn");
    record = step(record, act("r", 3, "fire", { x: 0, y: 0 })).record;
    expect(record.state.turn).toBe("blue");
    record = step(record, act("b", 3, "fire", { x: 0, y: 0 })).record;
    expect(step(record, act("r", 4, "fire", { x: 0, y: 0 })).outcomes[0]?.error?.detail).toBe("already_tried");
  });

  it("fires a random untried cell for a team whose timer ran out, and only once per deadline", () => {
    const record = started();
    const early = advance(game, record, { tick: 0, time: (record.state.turnEndsAt ?? 0) - 1, entries: [{ kind: "deadline" }], ticks: 0 }).record;
    expect(early.state).toBe(record.state);
    const due = (record.state.turnEndsAt ?? 0) + 5;
    const fired = advance(game, record, { tick: 0, time: due, entries: [{ kind: "deadline" }], ticks: 0 }).record;
    expect(fired.state.lastShot).toMatchObject({ by: "red", auto: true });
    expect(fired.state.turn).toBe("blue");
    const again = advance(game, fired, { tick: 0, time: due, entries: [{ kind: "deadline" }], ticks: 0 }).record;
    expect(again.state).toBe(fired.state);
  });

  it("shows a team an enemy ship only once it is sunk, and every ship at the end", () => {
    let record = started();
    const blueFleet = record.state.fleets.blue ?? [];
    const redView = () => viewFor(game, record, "team:red").game as BattleshipView;
    expect(redView().revealed.blue).toEqual([]);
    expect(JSON.stringify(redView())).not.toContain(JSON.stringify(blueFleet[0]));
    let s = 3;
    for (const ship of blueFleet) {
      for (const [x, y] of cellsOf(ship)) {
        record = step(record, act("r", s, "fire", { x, y })).record;
        if (record.state.phase === "over") break;
        const miss = [...Array(36).keys()].map((i) => [i % 6, Math.floor(i / 6)]).find(([mx, my]) => !record.state.shots.red?.[`${mx},${my}`]) ?? [0, 0];
        record = step(record, act("b", s, "fire", { x: miss[0], y: miss[1] })).record;
        s += 1;
      }
      if (record.state.phase !== "over") expect(redView().revealed.blue).toContainEqual(ship);
    }
    expect(record.state.winner).toBe("red");
    expect(record.result).toEqual({ winner: "red" });
    expect(redView().revealed.blue).toEqual(blueFleet);
    expect((viewFor(game, record, "spectator").game as BattleshipView).fleet).toBeNull();
  });
});
