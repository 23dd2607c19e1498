// The scenario's bots: each sends an input every 50 ms and turns every second; measures acks and tick gaps.
import { round } from "../results/stats.ts";

/** What the fleet needs of a bot: the SDK-backed e2e Bot and the view-less LeanBot both fit. */
export interface FleetBot {
  readonly version: number;
  /** The highest own input the held state reflects (the update's `applied ?? ack`): the scenario's `lastInput`. */
  readonly lastInput: number;
  /** The highest own input the room has stored (the update's `ack`): durable, so never resent after a crash. */
  readonly lastStored: number;
  readonly bytes: number;
  readonly messages: number;
  readonly gaps: number;
  readonly errors: readonly unknown[];
  /** Each bot class passes itself; the fleet ignores the argument, hence `never`. */
  onAdvance: ((bot: never) => void) | undefined;
  input(dx: number, dy: number): number;
  close(): void;
}

/** An input on its way: when it was sent, whether in the window, and whether the held state shows it yet. */
interface Sent {
  readonly at: number;
  readonly measured: boolean;
  reflected: boolean;
}

const INPUT_EVERY_MS = 50;
const TURN_EVERY_MS = 1000;

/** A random unit direction, rounded like positions are so an input stays a short JSON message. */
export function direction(): { dx: number; dy: number } {
  const angle = Math.random() * 2 * Math.PI;
  return { dx: round(Math.cos(angle)), dy: round(Math.sin(angle)) };
}

export class Fleet {
  readonly bots: FleetBot[] = [];
  /** Whether samples are being kept (the measure window); warm-up inputs and ticks are not counted. */
  measuring = false;
  readonly tickGaps: number[] = [];
  /** Send → the held state reflects the input (shared/bench/arena.md's ack latency). */
  readonly ackLatencies: number[] = [];
  /** Send → the room reports the input stored: what Colyseus has no counterpart for (its state is in memory). */
  readonly storedLatencies: number[] = [];
  /** Upstream payload bytes sent while measuring. */
  upBytes = 0;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Per bot, when each of its unacknowledged inputs was sent and whether it falls in the window. */
  readonly #sentAt = new Map<FleetBot, Map<number, Sent>>();

  /** Hook a connected bot's view updates: every new version is a tick gap sample and may ack inputs. */
  add(bot: FleetBot): void {
    this.bots.push(bot);
    const sentAt = new Map<number, Sent>();
    let lastVersion = bot.version;
    let lastAdvanceAt = 0;
    bot.onAdvance = () => {
      const now = performance.now();
      if (bot.version <= lastVersion) return;
      if (this.measuring && lastAdvanceAt > 0) this.tickGaps.push(now - lastAdvanceAt);
      lastVersion = bot.version;
      lastAdvanceAt = now;
      for (const [seq, sent] of sentAt) {
        // Seqs are sent in order, so the first one not yet reflected ends the scan.
        if (seq > bot.lastInput) break;
        if (!sent.reflected && sent.measured) this.ackLatencies.push(now - sent.at);
        sent.reflected = true;
        if (seq > bot.lastStored) continue;
        if (sent.measured) this.storedLatencies.push(now - sent.at);
        sentAt.delete(seq);
      }
    };
    this.#sentAt.set(bot, sentAt);
  }

  /** Every bot starts sending inputs: only once all are seated, so joining is not slowed by rooms already busy. */
  start(): void {
    for (const [bot, sentAt] of this.#sentAt) this.#inputs(bot, sentAt);
  }

  #inputs(bot: FleetBot, sentAt: Map<number, Sent>): void {
    let { dx, dy } = direction();
    let turnedAt = performance.now();
    const send = (): void => {
      const now = performance.now();
      if (now - turnedAt >= TURN_EVERY_MS) {
        ({ dx, dy } = direction());
        turnedAt = now;
      }
      const seq = bot.input(dx, dy);
      if (seq === 0) return;
      sentAt.set(seq, { at: now, measured: this.measuring, reflected: false });
      if (!this.measuring) return;
      // The same text the SDK sends (RoomClient.send): the room's measure of upstream payload.
      this.upBytes += Buffer.byteLength(JSON.stringify({ type: "action", seq, action: "input", payload: { dx, dy } }));
    };
    // Staggered across the period so the room sees a steady stream rather than every input in one burst.
    const offset = Math.random() * INPUT_EVERY_MS;
    this.#timers.push(setTimeout(() => this.#timers.push(setInterval(send, INPUT_EVERY_MS)), offset));
  }

  /** Payload bytes and messages received so far, over every bot. */
  received(): { bytes: number; messages: number } {
    return this.bots.reduce((sum, bot) => ({ bytes: sum.bytes + bot.bytes, messages: sum.messages + bot.messages }), { bytes: 0, messages: 0 });
  }

  stopInputs(): void {
    for (const timer of this.#timers) clearInterval(timer);
  }

  close(): void {
    this.stopInputs();
    for (const bot of this.bots) bot.close();
  }
}
