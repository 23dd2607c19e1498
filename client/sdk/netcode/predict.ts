// Client-side prediction and reconciliation: the player's own inputs run through the game's own rule on top of the last authoritative view.
import type { Point, Prediction } from "../../../src/protocol/prediction.ts";
import { SEQ_WINDOW } from "../../../src/protocol/limits.ts";
import type { TickClock } from "./clock.ts";

export interface PredictorOptions {
  /** A correction larger than this (world units) is applied at once (a snap) rather than smoothed away. */
  readonly snapUnits: number;
  /** The time constant (ms) over which a smaller correction fades out. */
  readonly smoothMs: number;
}

export const defaultPredictorOptions: PredictorOptions = { snapUnits: 32, smoothMs: 100 };

/** What reconciliation found at one authoritative update. */
export interface Correction {
  /** How far the prediction made from the new update lands from the one shown before it (world units). */
  readonly error: number;
  /** Whether that was past `snapUnits`, so the drawn position jumped. */
  readonly snapped: boolean;
}

export interface Predictor<View, Input> {
  /** The player sent `input` with `seq` at local time `at`. */
  sent(seq: number, input: Input, at: number): void;
  /**
   * An authoritative update placed at `tick` by the clock: inputs up to `ack` are in it and are dropped (an ack lower
   * than one already seen changes nothing), the rest are replayed on top of it. Returns the correction it caused,
   * or undefined when the view does not hold the player.
   */
  authoritative(view: View, tick: number, ack: number, now: number): Correction | undefined;
  /** Where to draw the player at local time `now`: predicted, plus what is left of the smoothed correction. */
  position(now: number): Point | undefined;
  /** Inputs sent and not yet covered by an ack (at most the room's seq window, 256). */
  readonly pending: number;
}

/** The longest stretch replayed on one frame: 40 ticks (2 s at 20 Hz); a longer lag is not predicted further. */
const MAX_REPLAY_TICKS = 40;

export function createPredictor<View, Input>(rules: Prediction<View, Input>, player: string, clock: TickClock, options: PredictorOptions = defaultPredictorOptions): Predictor<View, Input> {
  const pending: { seq: number; input: Input; at: number }[] = [];
  let acked = 0;
  // The input in effect in the authoritative view: the newest one its ack covers.
  let current = rules.rest;
  let base: { view: View; at: Point; tick: number } | undefined;
  let correction = { x: 0, y: 0, at: 0 };

  /** The first tick whose update can hold an input sent at `at`: it reaches the room half a round trip later. */
  const effectTick = (at: number) => Math.ceil(clock.tickAt(at + clock.stats.rttMs));

  function predicted(now: number): Point | undefined {
    if (!base) return undefined;
    const { periodMs } = clock.stats;
    // The player is drawn where the room will have them once what is sent now arrives: a round trip ahead.
    const horizon = Math.min(clock.tickAt(now + clock.stats.rttMs), base.tick + MAX_REPLAY_TICKS);
    const whole = Math.floor(horizon);
    let at = base.at;
    let input = current;
    let next = 0;
    let before = at;
    for (let tick = base.tick + 1; tick <= whole + 1; tick++) {
      while (next < pending.length && effectTick(pending[next]!.at) <= tick) input = pending[next++]!.input;
      before = at;
      at = rules.move(at, input, periodMs / 1000, base.view);
    }
    if (whole < base.tick) return base.at;
    // Between the last whole tick and the next, so the drawn position moves every frame rather than 20 times a second.
    const f = horizon - whole;
    return { x: before.x + (at.x - before.x) * f, y: before.y + (at.y - before.y) * f };
  }

  const fade = (now: number) => {
    const k = Math.exp(-Math.max(0, now - correction.at) / options.smoothMs);
    return { x: correction.x * k, y: correction.y * k };
  };

  return {
    sent(seq, input, at) {
      pending.push({ seq, input, at });
      if (pending.length > SEQ_WINDOW) pending.shift();
    },
    authoritative(view, tick, ack, now) {
      const at = rules.locate(view, player);
      if (!at) return (base = undefined);
      const shown = base ? predicted(now) : undefined;
      if (ack > acked) {
        acked = ack;
        while (pending.length > 0 && pending[0]!.seq <= ack) current = pending.shift()!.input;
      }
      base = { view, at: { x: at.x, y: at.y }, tick };
      const fresh = predicted(now);
      if (!shown || !fresh) return { error: 0, snapped: false };
      const left = fade(now);
      const error = Math.hypot(shown.x - fresh.x, shown.y - fresh.y);
      // Keep the drawn position where it was and let the difference fade, unless it is too large to hide.
      const carried = { x: left.x + shown.x - fresh.x, y: left.y + shown.y - fresh.y };
      const snapped = Math.hypot(carried.x, carried.y) > options.snapUnits;
      correction = snapped ? { x: 0, y: 0, at: now } : { ...carried, at: now };
      return { error, snapped };
    },
    position(now) {
      const at = predicted(now);
      if (!at) return undefined;
      const left = fade(now);
      return { x: at.x + left.x, y: at.y + left.y };
    },
    get pending() {
      return pending.length;
    },
  };
}
