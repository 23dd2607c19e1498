// The room's wake-ups: the tick loop's timeline, the in-memory tick timer, and the one alarm (the platform gives an object one), written only when its time changes.
import { settings } from "../../settings.ts";
import { dueTicks, nextTickAt, resumeTimeline, startTimeline, type Timeline } from "./tick-loop.ts";

/** The watchdog is written again once less than this is left of it (at least two ticks, so a live timer renews it before it fires). */
const WATCHDOG_RENEW_MS = 1000;

export class RoomAlarm {
  #storage: DurableObjectStorage;
  #timeline: Timeline | undefined;
  /** The alarm as this instance last set it; undefined when unknown (after a wake). */
  #at: number | null | undefined;
  /** While the timer drives ticks: when the alarm is due if no timer came first (the watchdog). */
  #watchdogAt: number | undefined;
  #onTick: (aimedAt: number) => void;
  #timer: { handle: ReturnType<typeof setTimeout>; at: number } | undefined;
  /** Whether ticks come from the in-memory timer (the default) or from the alarm, one per tick (tests that drive a virtual clock). */
  #timerOn = true;
  /** `setAlarm`/`deleteAlarm` calls since this instance woke: a write each, and what a ticking room's alarm costs. */
  writes = 0;

  /** `onTick` runs the room's step when the tick timer fires, with the time the timer was aimed at. */
  constructor(storage: DurableObjectStorage, onTick: (aimedAt: number) => void) {
    this.#storage = storage;
    this.#onTick = onTick;
  }

  /** When the alarm is set for, as far as this instance knows (the dev inspector shows it). */
  get at(): number | null {
    return this.#at ?? null;
  }

  set timerOn(on: boolean) {
    this.#timerOn = on;
    if (!on) this.#stopTimer();
  }

  /** The alarm handler started: returns when the alarm was set for; a running alarm is no longer scheduled. */
  fired(): number | null | undefined {
    const was = this.#at;
    this.#at = null;
    this.#watchdogAt = undefined;
    return was;
  }

  /** Ticks to run now: a late wake catches up a few, an early or repeated one (an alarm beside a live timer) runs none. */
  ticksDue(now: number, periodMs: number): number {
    const due = dueTicks(this.#timeline ?? resumeTimeline(now, periodMs), now, settings.maxCatchUpTicks);
    this.#timeline = due.next;
    return due.run;
  }

  /**
   * Plan the next wake-ups. While the room ticks (`tickPeriodMs` given), the timer is aimed at the next tick and
   * the alarm is the earliest of `timerAt` and the watchdog (`settings.tickWatchdogMs` ahead, renewed only when
   * close), so lifecycle timers still fire on time through the alarm and a dead instance is woken to tick again;
   * with the timer off the alarm is the next tick, as before. A room that does not tick has no timer and no
   * timeline, and its alarm is the earliest of `timerAt` and `sweepAt` (the next idle sweep).
   */
  plan(now: number, timerAt: number | null, tickPeriodMs: number | null, sweepAt: () => number | null): void {
    let next = timerAt;
    if (tickPeriodMs === null) {
      this.#timeline = this.#watchdogAt = undefined;
      this.#stopTimer();
      const sweep = sweepAt();
      if (sweep !== null) next = Math.min(next ?? Infinity, sweep);
    } else {
      this.#timeline ??= startTimeline(now, tickPeriodMs);
      const tickAt = nextTickAt(this.#timeline);
      if (this.#timerOn) {
        this.#aimTimer(tickAt, now);
        if (this.#watchdogAt === undefined || this.#watchdogAt - now < Math.max(WATCHDOG_RENEW_MS, 2 * tickPeriodMs)) this.#watchdogAt = now + settings.tickWatchdogMs;
        next = Math.min(next ?? Infinity, this.#watchdogAt);
      } else next = Math.min(next ?? Infinity, tickAt);
    }
    // Skip the storage write when the alarm is already where it should be.
    if (next === this.#at) return;
    this.#at = next;
    this.writes += 1;
    void (next === null ? this.#storage.deleteAlarm() : this.#storage.setAlarm(next));
  }

  /** The room is gone: no timeline, no timer, no alarm. */
  clear(): void {
    this.plan(0, null, null, () => null);
  }

  /** One `setTimeout` at a time, aimed at the timeline's next tick (not an interval, which would drift from it). */
  #aimTimer(at: number, now: number): void {
    if (this.#timer?.at === at) return;
    this.#stopTimer();
    // At least 1 ms: a timer that found no tick due (a rounding edge) must not spin.
    const handle = setTimeout(() => {
      this.#timer = undefined;
      this.#onTick(at);
    }, Math.max(1, Math.ceil(at - now)));
    this.#timer = { handle, at };
  }

  #stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer.handle);
    this.#timer = undefined;
  }
}
