// A room connection: holds the audience's view, applies patches in order, resyncs on any gap.
import type { ActionsOf, ViewOf } from "../../src/engine/define-game";
import type { ErrorBody } from "../../src/engine/errors";
import type { ActionMessage, ServerMessage, WelcomeMessage } from "../../src/engine/protocol";
import { applyOps } from "./patch";

export interface RoomState<View> {
  readonly welcome: WelcomeMessage | undefined;
  readonly view: View | undefined;
  readonly version: number;
}

export interface RoomClientOptions {
  /** WebSocket URL including the ticket, as returned by `joinRoom`. */
  readonly url: string;
  /** Called after every change of the local view. */
  readonly onChange?: () => void;
  readonly onError?: (error: ErrorBody) => void;
  /** Called for every raw server message, for tests and tools. */
  readonly onMessage?: (message: ServerMessage) => void;
}

/** Typed over a game definition so `send` checks action names and payloads at compile time. */
export class RoomClient<G> {
  #socket: WebSocket;
  #options: RoomClientOptions;
  #view: ViewOf<G> | undefined;
  #version = -1;
  #seq = 0;
  #welcome: WelcomeMessage | undefined;
  readonly acked = new Set<number>();

  constructor(options: RoomClientOptions) {
    this.#options = options;
    this.#socket = new WebSocket(options.url);
    this.#socket.addEventListener("message", (event) => this.#receive(String(event.data)));
  }

  get state(): RoomState<ViewOf<G>> {
    return { welcome: this.#welcome, view: this.#view, version: this.#version };
  }

  get socket(): WebSocket {
    return this.#socket;
  }

  /** Send an action; returns its seq. */
  send<Name extends keyof ActionsOf<G> & string>(action: Name, payload: ActionsOf<G>[Name]): number {
    this.#seq += 1;
    const message: ActionMessage = { type: "action", seq: this.#seq, action, payload: payload as Record<string, unknown> };
    this.#socket.send(JSON.stringify(message));
    return this.#seq;
  }

  close(): void {
    this.#socket.close(1000, "leaving");
  }

  #receive(text: string): void {
    const message = JSON.parse(text) as ServerMessage<ViewOf<G>>;
    this.#options.onMessage?.(message);
    switch (message.type) {
      case "welcome":
        this.#welcome = message;
        this.#seq = message.lastSeq;
        return;
      case "snapshot":
        this.#view = message.view;
        this.#version = message.version;
        return this.#options.onChange?.();
      case "patch": {
        const next = message.from === this.#version && this.#view !== undefined ? applyOps(this.#view, message.ops) : undefined;
        // A gap or a patch that does not apply: drop the view and ask for a fresh snapshot.
        if (next === undefined) return this.#resync();
        this.#view = next;
        this.#version = message.to;
        return this.#options.onChange?.();
      }
      case "ack":
        this.acked.add(message.seq);
        return;
      case "error":
        return this.#options.onError?.(message);
      case "pong":
        return;
    }
  }

  #resync(): void {
    this.#version = -1;
    this.#socket.send(JSON.stringify({ type: "resync" }));
  }
}
