// The fixed-step timeline: tick n is due at start + n × period, whenever the alarm actually fires.

export interface Timeline {
  /** Wall time (ms) the timeline is anchored at. */
  readonly start: number;
  readonly period: number;
  /** Ticks run since `start`. */
  readonly done: number;
}

export const startTimeline = (now: number, period: number): Timeline => ({ start: now, period, done: 0 });

/** Anchor for an alarm that finds no timeline in memory (the object was evicted): one tick is due now. */
export const resumeTimeline = (now: number, period: number): Timeline => ({ start: now - period, period, done: 0 });

/**
 * How many ticks to run at `now`, and the timeline after running them. A late alarm catches up at
 * most `maxCatchUp` ticks and drops the rest; an early or repeated alarm runs none.
 */
export function dueTicks(timeline: Timeline, now: number, maxCatchUp: number): { run: number; next: Timeline } {
  const due = Math.floor((now - timeline.start) / timeline.period);
  const behind = due - timeline.done;
  if (behind <= 0) return { run: 0, next: timeline };
  // Dropped ticks count as done, so the timeline never falls further behind.
  return { run: Math.min(behind, maxCatchUp), next: { ...timeline, done: due } };
}

export const nextTickAt = (timeline: Timeline): number => timeline.start + (timeline.done + 1) * timeline.period;
