// The steps a realtime room has run and sent but not stored yet, and when they must be stored: one row per batch, not per tick.
import type { Game } from "../../../engine/define-game.ts";
import { isEnded, type MatchRecord, type Outcome, type Step } from "../../../engine/match.ts";
import { settings } from "../../settings.ts";
import { ticks } from "../lifecycle.ts";

/**
 * A step that was run but not stored can be lost with the instance (a crash, a deploy), never a step that was
 * acknowledged: an applied action's ack waits here until its step is stored, and the output gate holds that ack
 * until the write is durable. What a client saw of the lost steps is replaced by a snapshot when it comes back
 * (the room's versions jump past them, see `resumeSkip`). Ticks are deterministic, so a batch of ticks needs
 * one row, not one per tick.
 */
export class Journal {
  #steps: Step[] = [];
  #acks: Outcome[] = [];
  /** Ticks run since the first pending step with an action, and since the first pending step. */
  #ticksSinceAct: number | undefined;
  #ticks = 0;
  /** The seqs of the last stored record: what an ack (and a welcome's lastSeq) may claim; the room sets it on load and creation. */
  stored: Readonly<Record<string, number>> | undefined;

  /** Steps run and not stored; bounded by `flushIdleTicks` (the room stores them before there are more). */
  get pending(): number {
    return this.#steps.length;
  }

  add(step: Step, acks: readonly Outcome[]): void {
    this.#steps.push(step);
    this.#acks.push(...acks);
    this.#ticks += step.ticks;
    const acted = step.entries.some((entry) => entry.kind === "act" || entry.kind === "failed");
    if (this.#ticksSinceAct !== undefined) this.#ticksSinceAct += step.ticks;
    else if (acted) this.#ticksSinceAct = step.ticks;
  }

  /** Take back the step just added, which could not be stored: it never happened. */
  dropLast(acks: number): void {
    const step = this.#steps.pop();
    if (!step) return;
    this.#acks.splice(this.#acks.length - acks, acks);
    this.#ticks -= step.ticks;
    if (this.#steps.length === 0) this.#ticksSinceAct = undefined;
    else if (this.#ticksSinceAct !== undefined) this.#ticksSinceAct -= step.ticks;
  }

  /**
   * Whether the pending steps must be stored now that `last` brought the match to `record`: at once for a
   * turn-based game, a seat change, a deadline, an end, or a room that stops ticking (nothing else would store
   * them); else once an action has waited `flushActionTicks` ticks or the batch holds `flushIdleTicks`.
   */
  due(game: Game, record: MatchRecord, last: Step): boolean {
    if (game.tickHz === 0 || isEnded(record) || !ticks(game, record)) return true;
    if (last.entries.some((entry) => entry.kind !== "act" && entry.kind !== "failed")) return true;
    if (this.#ticksSinceAct !== undefined && this.#ticksSinceAct >= settings.flushActionTicks) return true;
    return this.#ticks >= settings.flushIdleTicks;
  }

  /** The pending steps and the acks they hold back, now being stored; the journal starts empty again. */
  take(): { steps: Step[]; acks: Outcome[] } {
    const taken = { steps: this.#steps, acks: this.#acks };
    this.#steps = [];
    this.#acks = [];
    this.#ticks = 0;
    this.#ticksSinceAct = undefined;
    return taken;
  }

  /** The steps are stored (or the room is gone): put them back only when the write failed. */
  putBack(taken: { steps: Step[]; acks: Outcome[] }): void {
    for (const [i, step] of taken.steps.entries()) this.add(step, i === 0 ? taken.acks : []);
  }

  clear(): void {
    this.take();
  }
}

/**
 * How far a woken room's versions jump when its instance died while ticking: past every version it may have
 * sent from steps it had not stored (at most `flushIdleTicks` ticks and `flushActionTicks` batches, each a version,
 * plus a late alarm's catch-up), so a client holding one of them is never told it is up to date.
 */
export const resumeSkip = (): number => 2 * (settings.flushIdleTicks + settings.flushActionTicks + settings.maxCatchUpTicks) + 1;
