// A room connection: holds the audience's view, applies patches in order, resyncs on any gap.
import type { ActionsOf, ViewOf } from "../../src/engine/define-game.ts";
import type { ErrorBody } from "../../src/engine/errors.ts";
import type { ActionMessage, ServerMessage, WelcomeMessage } from "../../src/engine/protocol.ts";
import type { RoomView } from "../../src/engine/views.ts";
import { applyOps } from "./patch.ts";

export interface RoomClientOptions {
  /** Called after every change of the local view (snapshot or applied patch). */
  readonly onChange?: () => void;
  readonly onError?: (error: ErrorBody) => void;
  /** Called for every server message before the client handles it, with its raw text. */
  readonly onMessage?: (message: ServerMessage, text: string) => void;
  /**
   * The view and version a previous connection held, when this one resumes with `?reconnect=…&version=…`:
   * the room then sends only the patches missed since (or a snapshot when they are gone).
   */
  readonly resume?: { readonly view: unknown; readonly version: number };
}

/** Typed over a game definition so `send` checks action names and payloads at compile time. */
export class RoomClient<G> {
  readonly socket: WebSocket;
  readonly acked = new Set<number>();
  welcome: WelcomeMessage | undefined;
  /** The roster and this audience's game view. */
  view: RoomView<ViewOf<G>> | undefined;
  /** The version of `view`; -1 while none is held or a resync is on its way. */
  version = -1;
  /** What the game's `endIf` returned, once the match has ended. */
  result: unknown;
  /** Patches that did not fit the held version or did not apply; each one triggered a resync. */
  gaps = 0;
  #seq = 0;
  #options: RoomClientOptions;

  /** Connect to a socket URL (from `joinRoom`), or adopt a socket that is already open. */
  constructor(socket: string | WebSocket, options: RoomClientOptions = {}) {
    this.socket = typeof socket === "string" ? new WebSocket(socket) : socket;
    this.#options = options;
    if (options.resume) {
      this.view = options.resume.view as RoomView<ViewOf<G>>;
      this.version = options.resume.version;
    }
    this.socket.addEventListener("message", (event) => this.#receive(String(event.data)));
  }

  /** The highest seq sent (or processed by the room before this connection). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Send an action with the next seq; returns the seq. */
  send<Name extends keyof ActionsOf<G> & string>(action: Name, payload: ActionsOf<G>[Name]): number {
    this.#seq += 1;
    const message: ActionMessage = { type: "action", seq: this.#seq, action, payload: payload as Record<string, unknown> };
    this.socket.send(JSON.stringify(message));
    return this.#seq;
  }

  /** Drop the view and ask the room for a fresh snapshot. */
  resync(): void {
    this.version = -1;
    this.socket.send(JSON.stringify({ type: "resync" }));
  }

  close(): void {
    this.socket.close(1000, "leaving");
  }

  #receive(text: string): void {
    const message = JSON.parse(text) as ServerMessage<RoomView<ViewOf<G>>>;
    this.#options.onMessage?.(message, text);
    switch (message.type) {
      case "welcome":
        this.welcome = message;
        this.#seq = Math.max(this.#seq, message.lastSeq);
        return;
      case "snapshot":
        this.view = message.view;
        this.version = message.version;
        return this.#options.onChange?.();
      case "patch": {
        // Patches that arrive while a resync is on its way are superseded by its snapshot.
        if (this.version === -1) return;
        const next = message.from === this.version && this.view !== undefined ? applyOps(this.view, message.ops) : undefined;
        if (next === undefined) {
          this.gaps += 1;
          return this.resync();
        }
        this.view = next;
        this.version = message.to;
        return this.#options.onChange?.();
      }
      case "ack":
        this.acked.add(message.seq);
        return;
      case "error":
        return this.#options.onError?.(message);
      case "result":
        this.result = message.result;
        return this.#options.onChange?.();
      case "pong":
        return;
    }
  }
}
