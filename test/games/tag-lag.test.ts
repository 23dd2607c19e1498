// Tag's lag compensation: "it" catches whom its screen showed within reach, inside a bounded rewind window.
import { describe, expect, it } from "vitest";
import { advance, createMatch, replay, type LogEntry, type MatchRecord, type Step } from "../../src/engine/match.ts";
import { createHistory, type PositionHistory } from "../../src/engine/rewind.ts";
import { tag, type TagState } from "../../src/games/tag.ts";
import { LAG_WINDOW_TICKS } from "../../src/games/tag-predict.ts";
import { arena } from "../../src/games/arena.ts";
import { lagHistoryOf } from "../../src/worker/room/lag-history.ts";

const join = (p: string): LogEntry => ({ kind: "join", player: p, name: p, team: "players" });
const input = (p: string, seq: number, dx: number, dy: number, lag: number): LogEntry => ({ kind: "act", player: p, seq, action: "input", payload: { dx, dy, lag } });

/**
 * Ann is it, standing at (100, 100); bob starts at (105, 100) and runs right, 10 units a tick, so he is within
 * reach (20) after tick 1 (115) and out of it from tick 2 on (125, 135, …). Tags are held off until tick 3.
 * Ann's input says her screen shows the others `lag` ticks behind the present.
 */
function chase(lag: number, history: PositionHistory | undefined, ticks = 4) {
  let record = createMatch(tag, { preset: "default", seed: 1, time: 0 });
  record = advance(tag, record, { tick: 0, time: 0, entries: [join("ann"), join("bob")], ticks: 0 }).record;
  const placed: MatchRecord<TagState> = {
    ...record,
    state: {
      ...record.state,
      safeUntil: 3,
      players: { ann: { ...record.state.players.ann!, x: 100, y: 100 }, bob: { ...record.state.players.bob!, x: 105, y: 100 } },
    },
  };
  const steps: Step[] = [{ tick: 0, time: 0, entries: [input("ann", 1, 0, 0, lag), input("bob", 1, 1, 0, 0)], ticks }];
  const played = advance(tag, placed, steps[0]!, history).record;
  return { placed, steps, played };
}

describe("tag's lag compensation", () => {
  it("tags whom it saw within reach 3 ticks ago, though he has run out of reach since", () => {
    const { played } = chase(3, createHistory(LAG_WINDOW_TICKS));
    expect(played.state.players.bob?.x).toBe(145);
    expect(played.state.it).toBe("bob");
  });

  it("judges by the present alone when its screen is up to date, or shows him already out of reach", () => {
    expect(chase(0, createHistory(LAG_WINDOW_TICKS)).played.state.it).toBe("ann");
    expect(chase(2, createHistory(LAG_WINDOW_TICKS)).played.state.it).toBe("ann");
  });

  it("rewinds no further than the window: the schema refuses a longer lag, and the history forgets older ticks", () => {
    expect(tag.actions["input"]!.schema.safeParse({ dx: 0, dy: 0, lag: LAG_WINDOW_TICKS }).success).toBe(true);
    expect(tag.actions["input"]!.schema.safeParse({ dx: 0, dy: 0, lag: LAG_WINDOW_TICKS + 1 }).success).toBe(false);
    // A window of 1 tick holds ticks 2 and 3 when tick 4 is judged: tick 1, where bob was in reach, is gone.
    expect(chase(3, createHistory(1)).played.state.it).toBe("ann");
    const history = createHistory(LAG_WINDOW_TICKS);
    chase(0, history, 40);
    expect(history.size).toBe(LAG_WINDOW_TICKS + 1);
  });

  it("uses the present only when the room has no history (it woke from eviction)", () => {
    expect(chase(3, undefined).played.state.it).toBe("ann");
  });

  it("is rebuilt exactly by a replay, which keeps the same history as it runs", () => {
    const { placed, steps, played } = chase(3, createHistory(LAG_WINDOW_TICKS));
    expect(replay(tag, placed, steps)).toEqual(played);
  });
});

describe("the room's history", () => {
  const room = (game: typeof tag | typeof arena) => ({ meta: { roomId: "r", listed: false, createdAt: 0 }, game: game as never, record: createMatch(game as never, { preset: "default", seed: 1, time: 0 }) });

  it("is one bounded history per live room of a game that asks for it, none for one that does not", () => {
    const live = room(tag);
    const history = lagHistoryOf(live);
    expect(history).toBeDefined();
    expect(lagHistoryOf(live)).toBe(history);
    // A woken room is a new live object: its history starts empty.
    expect(lagHistoryOf(room(tag))).not.toBe(history);
    expect(lagHistoryOf(room(arena))).toBeUndefined();
  });
});
