// The bounded position history behind lag compensation: every player's place after each of the last few ticks.
import type { PlayerId, Point } from "./define-game.ts";

export type Positions = Readonly<Record<PlayerId, Point>>;

export interface PositionHistory {
  /** The positions after tick `tick`; forgets any tick at or after it first (a step run again records its ticks again). */
  record(tick: number, positions: Positions): void;
  /** The positions after `tick`, while it is within the window; undefined otherwise. */
  at(tick: number): Positions | undefined;
  /** Ticks held, at most `windowTicks + 1`. */
  readonly size: number;
}

/** Holds `windowTicks + 1` entries (the present and the window behind it); older ones are dropped as ticks run. */
export function createHistory(windowTicks: number): PositionHistory {
  const entries: { tick: number; positions: Positions }[] = [];
  return {
    record(tick, positions) {
      while (entries.length > 0 && (entries.at(-1)?.tick ?? -1) >= tick) entries.pop();
      entries.push({ tick, positions });
      while (entries.length > windowTicks + 1) entries.shift();
    },
    at(tick) {
      return entries.find((entry) => entry.tick === tick)?.positions;
    },
    get size() {
      return entries.length;
    },
  };
}
