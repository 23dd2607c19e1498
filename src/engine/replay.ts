// Replaying a match: the entries a step is logged with, and a record rebuilt from its initial record and logged steps.
import type { Game } from "./define-game.ts";
import { advance } from "./advance.ts";
import type { LogEntry, MatchRecord, Outcome, Step } from "./record.ts";
import { createHistory } from "./rewind.ts";

/**
 * The entries to log for a step, given how its actions ended: an action whose rule threw is logged as
 * `failed`, because a throw need not happen again in a replay (a bug fixed since, a fault injected).
 */
export function loggedEntries(entries: readonly LogEntry[], outcomes: readonly Outcome[]): LogEntry[] {
  const threw = new Set(outcomes.filter((o) => o.error?.code === "action_failed").map((o) => `${o.player}:${o.seq}`));
  // Most steps had no throw: then no entry changes, and none needs its key built.
  if (threw.size === 0) return entries.slice();
  return entries.map((entry) => (entry.kind === "act" && threw.has(`${entry.player}:${entry.seq}`) ? { kind: "failed", player: entry.player, seq: entry.seq } : entry));
}

/** Rebuild a record from the one a match started with and the steps logged after it, exactly as they ran live. */
export function replay<State, Config>(
  game: Game<State, Config>,
  initial: MatchRecord<State>,
  steps: Iterable<Step>,
): MatchRecord<State> {
  let record = initial;
  // The same bounded history the live room keeps in memory, built the same way as the steps run.
  const history = game.lagCompensation ? createHistory(game.lagCompensation.windowTicks) : undefined;
  for (const step of steps) {
    if (step.tick !== record.tick) throw new Error(`log step at tick ${step.tick} does not follow tick ${record.tick}`);
    record = advance(game, record, step, history).record;
  }
  return record;
}
