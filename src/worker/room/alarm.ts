// The room's one alarm (the platform gives an object one): the tick loop's timeline, and the alarm written only when its time changes.
import { settings } from "../settings.ts";
import { dueTicks, nextTickAt, resumeTimeline, startTimeline, type Timeline } from "./tick-loop.ts";

export class RoomAlarm {
  #storage: DurableObjectStorage;
  #timeline: Timeline | undefined;
  /** The alarm as this instance last set it; undefined when unknown (after a wake). */
  #at: number | null | undefined;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  /** When the alarm is set for, as far as this instance knows (the dev inspector shows it). */
  get at(): number | null {
    return this.#at ?? null;
  }

  /** The alarm handler started: returns when the alarm was set for; a running alarm is no longer scheduled. */
  fired(): number | null | undefined {
    const was = this.#at;
    this.#at = null;
    return was;
  }

  /** Ticks to run now: a late alarm catches up a few, an early or repeated one runs none. */
  ticksDue(now: number, periodMs: number): number {
    const due = dueTicks(this.#timeline ?? resumeTimeline(now, periodMs), now, settings.maxCatchUpTicks);
    this.#timeline = due.next;
    return due.run;
  }

  /**
   * Set the alarm for the earliest of `timerAt` and, while the room ticks (`tickPeriodMs` given), its next
   * tick, or else `sweepAt` (the next idle sweep). A room that stops ticking forgets its timeline.
   */
  plan(now: number, timerAt: number | null, tickPeriodMs: number | null, sweepAt: () => number | null): void {
    let next = timerAt;
    if (tickPeriodMs !== null) {
      this.#timeline ??= startTimeline(now, tickPeriodMs);
      next = Math.min(next ?? Infinity, nextTickAt(this.#timeline));
    } else {
      this.#timeline = undefined;
      const sweep = sweepAt();
      if (sweep !== null) next = Math.min(next ?? Infinity, sweep);
    }
    // Skip the storage write when the alarm is already where it should be.
    if (next === this.#at) return;
    this.#at = next;
    void (next === null ? this.#storage.deleteAlarm() : this.#storage.setAlarm(next));
  }

  /** The room is gone: no timeline, no alarm. */
  clear(): void {
    this.#timeline = undefined;
    this.plan(0, null, null, () => null);
  }
}
