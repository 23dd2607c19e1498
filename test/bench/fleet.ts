// The scenario's bots: each sends an input every 50 ms and turns every second; measures acks and tick gaps.
import { round } from "./stats.ts";

/** What the fleet needs of a bot: the SDK-backed e2e Bot and the view-less LeanBot both fit. */
export interface FleetBot {
  readonly version: number;
  /** The highest own input the room applied and stored: the `ack` of the last update the bot read. */
  readonly lastInput: number;
  readonly bytes: number;
  readonly messages: number;
  readonly gaps: number;
  readonly errors: readonly unknown[];
  /** Each bot class passes itself; the fleet ignores the argument, hence `never`. */
  onAdvance: ((bot: never) => void) | undefined;
  input(dx: number, dy: number): number;
  close(): void;
}

const INPUT_EVERY_MS = 50;
const TURN_EVERY_MS = 1000;

/** A random unit direction, rounded like positions are so an input stays a short JSON message. */
function direction(): { dx: number; dy: number } {
  const angle = Math.random() * 2 * Math.PI;
  return { dx: round(Math.cos(angle)), dy: round(Math.sin(angle)) };
}

export class Fleet {
  readonly bots: FleetBot[] = [];
  /** Whether samples are being kept (the measure window); warm-up inputs and ticks are not counted. */
  measuring = false;
  readonly tickGaps: number[] = [];
  readonly ackLatencies: number[] = [];
  /** Upstream payload bytes sent while measuring. */
  upBytes = 0;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Per bot, when each of its unacknowledged inputs was sent and whether it falls in the window. */
  readonly #sentAt = new Map<FleetBot, Map<number, { at: number; measured: boolean }>>();

  /** Hook a connected bot's view updates: every new version is a tick gap sample and may ack inputs. */
  add(bot: FleetBot): void {
    this.bots.push(bot);
    const sentAt = new Map<number, { at: number; measured: boolean }>();
    let lastVersion = bot.version;
    let lastAdvanceAt = 0;
    bot.onAdvance = () => {
      const now = performance.now();
      if (bot.version <= lastVersion) return;
      if (this.measuring && lastAdvanceAt > 0) this.tickGaps.push(now - lastAdvanceAt);
      lastVersion = bot.version;
      lastAdvanceAt = now;
      const acked = bot.lastInput;
      for (const [seq, sent] of sentAt) {
        // Seqs are sent in order, so the first one not yet acknowledged ends the scan.
        if (seq > acked) break;
        if (sent.measured) this.ackLatencies.push(now - sent.at);
        sentAt.delete(seq);
      }
    };
    this.#sentAt.set(bot, sentAt);
  }

  /** Every bot starts sending inputs: only once all are seated, so joining is not slowed by rooms already busy. */
  start(): void {
    for (const [bot, sentAt] of this.#sentAt) this.#inputs(bot, sentAt);
  }

  #inputs(bot: FleetBot, sentAt: Map<number, { at: number; measured: boolean }>): void {
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
      sentAt.set(seq, { at: now, measured: this.measuring });
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
