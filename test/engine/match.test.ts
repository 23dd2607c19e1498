// The pure match state machine: seats, actions, rejections, atomic failures, determinism and replay.
import { describe, expect, it } from "vitest";
import { advance, createMatch, replay, type LogEntry, type MatchRecord, type Step } from "../../src/engine/match.ts";
import { viewFor } from "../../src/engine/updates/views.ts";
import { counter, ticker, type CounterState } from "./fixtures.ts";

const game = counter;
const join = (p: string, team: string): LogEntry => ({ kind: "join", player: p, name: p, team });
const act = (p: string, s: number, a: string, d: unknown = {}): LogEntry => ({ kind: "act", player: p, seq: s, action: a, payload: d });

function seated(): MatchRecord<CounterState> {
  const record = createMatch(game, { preset: "default", seed: 1, time: 0 });
  return advance(game, record, { tick: 0, entries: [join("x", "a"), join("y", "b")], ticks: 0, time: 0 }).record;
}

describe("a match", () => {
  it("applies an action and acknowledges it", () => {
    const { record, outcomes } = advance(game, seated(), { tick: 0, entries: [act("x", 1, "add", { by: 2 })], ticks: 0, time: 0 });
    expect(record.state.counts.a).toBe(2);
    expect(outcomes).toEqual([{ player: "x", seq: 1 }]);
    expect(record.seqs.x).toBe(1);
  });

  it("leaves the state untouched when the game rejects an action, and tells only that player why", () => {
    const before = advance(game, seated(), { tick: 0, entries: [act("x", 1, "add", { by: 3 })], ticks: 0, time: 0 }).record;
    const { record, outcomes } = advance(game, before, { tick: 0, entries: [act("x", 2, "add", { by: 3 })], ticks: 0, time: 0 });
    expect(record.state).toBe(before.state);
    expect(outcomes[0]?.error).toMatchObject({ code: "rejected", detail: "over_limit", seq: 2 });
  });

  it("keeps nothing of an action that throws half-way, random draws included", () => {
    const before = seated();
    const { record, outcomes } = advance(game, before, { tick: 0, entries: [act("x", 1, "explode"), act("y", 1, "roll")], ticks: 0, time: 0 });
    expect(outcomes[0]?.error?.code).toBe("action_failed");
    expect(record.state.counts.a).toBe(0);
    const clean = advance(game, before, { tick: 0, entries: [act("y", 1, "roll")], ticks: 0, time: 0 }).record;
    expect(record.state.rolls).toEqual(clean.state.rolls);
    expect(record.rng).toBe(clean.rng);
  });

  it("applies a batch of actions as one step per action would, when some in the middle throw or are rejected", () => {
    const before = seated();
    const entries = [act("y", 1, "roll"), act("x", 1, "add", { by: 3 }), act("y", 2, "roll"), act("x", 2, "explode"), act("y", 3, "roll"), act("x", 3, "add", { by: 3 }), act("y", 4, "roll")];
    const batch = advance(game, before, { tick: 0, entries, ticks: 0, time: 0 });
    let each = before;
    const outcomes = entries.map((entry) => {
      const stepped = advance(game, each, { tick: 0, entries: [entry], ticks: 0, time: 0 });
      each = stepped.record;
      return stepped.outcomes[0];
    });
    expect(batch.record.state).toEqual(each.state);
    expect(batch.record.rng).toBe(each.rng);
    expect(batch.record.seqs).toEqual(each.seqs);
    expect(batch.outcomes.map((o) => o.error?.code)).toEqual([undefined, undefined, undefined, "action_failed", undefined, "rejected", undefined]);
    expect(batch.outcomes.map((o) => o.error?.code)).toEqual(outcomes.map((o) => o?.error?.code));
    expect(Object.isFrozen(batch.record.state.rolls)).toBe(true);
  });

  it("runs a step's actions and its tick as an actions-only step then a tick-only step would, and a failing tick takes back only itself", () => {
    const start = advance(ticker, createMatch(ticker, { preset: "default", seed: 5, time: 0 }), { tick: 0, entries: [join("x", "a")], ticks: 0, time: 0 }).record;
    for (const by of [4, 13]) {
      const entries = [act("x", 1, "add", { by: by - 1 }), act("x", 2, "add", { by: 1 })];
      const together = advance(ticker, start, { tick: 0, entries, ticks: 2, time: 0 });
      const actionsOnly = advance(ticker, start, { tick: 0, entries, ticks: 0, time: 0 }).record;
      const apart = advance(ticker, actionsOnly, { tick: 0, entries: [], ticks: 2, time: 0 });
      expect(together.record.state).toEqual(apart.record.state);
      expect(together.record.rng).toBe(apart.record.rng);
      expect(together.record.tick).toBe(apart.record.tick);
      expect(together.outcomes).toEqual([{ player: "x", seq: 1 }, { player: "x", seq: 2 }]);
      expect(Object.isFrozen(together.record.state.rolls)).toBe(true);
    }
    const failed = advance(ticker, start, { tick: 0, entries: [act("x", 1, "add", { by: 13 })], ticks: 1, time: 0 });
    expect(failed.tickError).toBeInstanceOf(Error);
    expect(failed.record.state).toEqual({ total: 13, ticks: 0, rolls: [] });
    expect(failed.record.rng).toBe(start.rng);
    expect(failed.record.tick).toBe(0);
  });

  it("never changes the record it was given", () => {
    const before = seated();
    const copy = structuredClone(before);
    advance(game, before, { tick: 0, entries: [act("x", 1, "add", { by: 1 }), act("y", 1, "roll")], ticks: 0, time: 0 });
    expect(before).toEqual(copy);
    expect(Object.isFrozen(before.state.counts)).toBe(true);
  });

  it("refuses actions from players who are not seated, and all actions once the match has ended", () => {
    const { outcomes } = advance(game, seated(), { tick: 0, entries: [act("ghost", 1, "add", { by: 1 })], ticks: 0, time: 0 });
    expect(outcomes[0]?.error?.code).toBe("not_a_player");
    let record = seated();
    for (let s = 1; s <= 3; s++) record = advance(game, record, { tick: 0, entries: [act("x", s, "add", { by: 2 })], ticks: 0, time: 0 }).record;
    expect(record.result).toBeUndefined();
    record = advance(game, record, { tick: 0, entries: [act("y", 1, "add", { by: 3 }), act("y", 2, "add", { by: 2 })], ticks: 0, time: 0 }).record;
    expect(record.result).toEqual({ winner: "someone" });
    const after = advance(game, record, { tick: 0, entries: [act("x", 4, "add", { by: 1 })], ticks: 0, time: 0 });
    expect(after.outcomes[0]?.error?.code).toBe("match_ended");
  });

  it("replays its log to exactly the same record", () => {
    const steps: Step[] = [];
    let record = createMatch(game, { preset: "default", seed: 9, time: 0 });
    const start = record;
    const run = (entries: LogEntry[]) => {
      const step = { tick: record.tick, time: 0, entries, ticks: 0 };
      steps.push(step);
      record = advance(game, record, step).record;
    };
    run([join("x", "a"), join("y", "b")]);
    for (let s = 1; s <= 20; s++) run([act("x", s, "roll"), act("y", s, s % 2 ? "roll" : "explode")]);
    expect(replay(game, start, steps)).toEqual(record);
  });

  it("projects each team's view without the other team's secret", () => {
    const record = seated();
    expect(viewFor(game, record, "team:a").game).toEqual({ counts: { a: 0, b: 0 }, secret: "alpha" });
    expect(JSON.stringify(viewFor(game, record, "team:b"))).not.toContain("alpha");
    expect(viewFor(game, record, "spectator").game).toBeNull();
    expect(viewFor(game, record, "team:b").roster).toEqual({
      x: { name: "x", team: "a", presence: "connected" },
      y: { name: "y", team: "b", presence: "connected" },
    });
  });
});
