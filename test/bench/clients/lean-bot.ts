// A socket bot that holds no view: it follows versions and its own acks only, so clients cost next to nothing.
import type { Seat } from "../../e2e/kit/dev-server.ts";
import { nodeInflate, payloadBytes, sleep, withFrames } from "../../e2e/kit/dev-server.ts";
import { frameText } from "../../../src/protocol/frames.ts";
import type { ArenaView } from "../../../src/games/arena.ts";
import type { ServerMessage } from "../../../src/protocol/messages.ts";
import type { RoomView } from "../../../src/protocol/messages.ts";

/**
 * The SDK's RoomClient copies the whole view on every patch (structuredClone), so with 10,000 static
 * entities 16 clients in the bench process cannot keep up with 20 patches a second and the load the
 * room sees collapses. This bot reads the same messages without applying them: its `lastInput` is the update's
 * `applied ?? ack` (the highest own input its state reflects), `lastStored` its `ack`. Same sockets, same inputs, same wire.
 */
export class LeanBot {
  readonly seat: Seat;
  readonly socket: WebSocket;
  readonly errors: unknown[] = [];
  messages = 0;
  bytes = 0;
  version = -1;
  /** The highest own input the room applied, from the updates' `ack`. */
  lastInput = 0;
  lastStored = 0;
  /** Patches whose `from` was not the version held; the server never skips one, so this stays 0. */
  gaps = 0;
  onAdvance: ((bot: LeanBot) => void) | undefined;
  /** When set, every message text received is appended to it (the byte profile reads them). */
  texts: string[] | undefined;
  #seq = 0;
  #welcomed = false;

  private constructor(seat: Seat, texts?: string[]) {
    this.seat = seat;
    this.texts = texts;
    this.socket = new WebSocket(withFrames(seat.wsUrl));
    this.socket.binaryType = "arraybuffer";
    this.socket.addEventListener("message", (event: MessageEvent) => this.#receive(event.data as string | ArrayBuffer));
  }

  /** Open the socket and wait for the welcome and the first snapshot; `texts` records from the first message on. */
  static async connect(seat: Seat, texts?: string[], timeoutMs = 30_000): Promise<LeanBot> {
    const bot = new LeanBot(seat, texts);
    const deadline = Date.now() + timeoutMs;
    while (!bot.#welcomed || bot.version === -1) {
      if (bot.socket.readyState > WebSocket.OPEN || Date.now() > deadline) throw new Error(`${seat.playerId} did not get a welcome and a snapshot`);
      await sleep(20);
    }
    return bot;
  }

  input(dx: number, dy: number): number {
    if (this.socket.readyState !== WebSocket.OPEN) return 0;
    this.#seq += 1;
    this.socket.send(JSON.stringify({ type: "action", seq: this.#seq, action: "input", payload: { dx, dy } }));
    return this.#seq;
  }

  close(): void {
    this.socket.close(1000, "leaving");
  }

  #receive(data: string | ArrayBuffer): void {
    this.messages += 1;
    this.bytes += payloadBytes(data);
    const text = typeof data === "string" ? data : (frameText(data, nodeInflate) as string);
    this.texts?.push(text);
    const message = JSON.parse(text) as ServerMessage<RoomView<ArenaView>>;
    if (message.type === "welcome") {
      this.#welcomed = true;
      this.#seq = message.lastSeq;
    } else if (message.type === "error") {
      this.errors.push(message);
    } else if (message.type === "snapshot" || message.type === "patch") {
      if (message.type === "patch" && message.from !== this.version) this.gaps += 1;
      this.version = message.type === "patch" ? message.to : message.version;
      this.lastStored = message.ack ?? this.lastStored;
      this.lastInput = Math.max(this.lastInput, message.applied ?? message.ack ?? 0);
      this.onAdvance?.(this);
    }
  }
}
