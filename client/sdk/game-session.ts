// GameSession: a live, typed, self-healing room handle (joinGame in join-game.ts makes one).
import { closes } from "../../src/protocol/close-codes.ts";
import type { ActionsOf, GameError, ResultOf, ViewOf } from "../../src/protocol/game-types.ts";
import type { PING as ServerPing, ResultMessage, RoomView } from "../../src/protocol/messages.ts";
import type { GameName, games } from "../../src/games/index.ts";
import type { Server } from "./join.ts";
import type { ChatLog } from "./chat.ts";
import { RoomClient } from "./room-client.ts";
import { type Connect, type ConnectionStatus, defaultPolicy, openWebSocket, ReconnectingSocket, type ReconnectPolicy } from "./socket.ts";

export type GameOf<N extends GameName> = (typeof games)[N];

/** How to get in. `resume` takes the token a previous page saved (see `GameSession.resumeToken`). */
export type JoinVia =
  | { readonly via: "quick"; readonly preset?: string }
  | { readonly via: "create"; readonly preset?: string; readonly private?: boolean }
  | { readonly via: "code"; readonly code: string }
  | { readonly via: "room"; readonly roomId: string }
  | { readonly via: "spectate"; readonly roomId: string }
  | { readonly via: "resume"; readonly roomId: string; readonly token: string };

export type JoinOptions = JoinVia & {
  readonly name?: string;
  /** The server: the page's own origin by default. */
  readonly server?: Server;
  /** How to open a socket: the browser's WebSocket by default; tests and other runtimes bring their own. */
  readonly connect?: Connect;
  readonly policy?: Partial<ReconnectPolicy>;
  /** Heartbeat period; the round trip of each heartbeat is `latencyMs`. */
  readonly pingEveryMs?: number;
};

/** Saved by a page so that a reload (within the reconnect grace period) returns to the same seat. */
export interface ResumeToken {
  readonly game: GameName;
  readonly roomId: string;
  readonly token: string;
}

// Typed by the server's constant, so the two cannot drift, without bundling server code.
const PING: typeof ServerPing = '{"type":"ping"}';
const PONG_TIMEOUT_MS = 10_000;
const RECEIPT_EVERY_MS = 1_000;

export class GameSession<N extends GameName> {
  readonly client: RoomClient<GameOf<N>>;
  status: ConnectionStatus = "connecting";
  /** How the connection ended, once `status` is `closed`. */
  closed: { code: number; reason: string } | undefined;
  /** Round trip of the last heartbeat, in ms. */
  latencyMs: number | undefined;
  /** The private room's code, when this session created one. */
  readonly code: string | undefined;
  readonly #socket: ReconnectingSocket;
  readonly #listeners = new Set<() => void>();
  readonly #errorListeners = new Set<(error: GameError<GameOf<N>>) => void>();
  #pingSentAt: number | undefined;
  readonly #heartbeat: ReturnType<typeof setInterval>;

  constructor(
    readonly game: N,
    seat: { url: string; code?: string },
    next: (session: GameSession<N>) => Promise<string>,
    options: Pick<JoinOptions, "policy" | "pingEveryMs" | "connect"> = {},
  ) {
    this.code = seat.code;
    this.client = new RoomClient<GameOf<N>>(undefined, {
      receiptEveryMs: RECEIPT_EVERY_MS,
      onChange: () => this.#emit(),
      onError: (error) => this.#errorListeners.forEach((listener) => listener(error)),
      onMessage: (message) => {
        if (message.type !== "pong" || this.#pingSentAt === undefined) return;
        this.latencyMs = Date.now() - this.#pingSentAt;
        this.#pingSentAt = undefined;
        this.#emit();
      },
    });
    let first = true;
    const url = async () => (first ? ((first = false), seat.url) : next(this));
    this.#socket = new ReconnectingSocket(
      url,
      {
        // A first heartbeat at once, so the latency is known within a round trip rather than a heartbeat period.
        open: (ws) => (this.client.attach(ws), this.#ping()),
        status: (status, close) => {
          this.status = status;
          if (status === "closed") {
            this.closed = close ?? this.#socket.lastClose;
            clearInterval(this.#heartbeat);
          }
          this.#pingSentAt = undefined;
          this.#emit();
        },
      },
      { ...defaultPolicy, ...options.policy },
      options.connect ?? openWebSocket,
    );
    this.#heartbeat = setInterval(() => this.#ping(), options.pingEveryMs ?? 2_000);
  }

  get view(): RoomView<ViewOf<GameOf<N>>> | undefined {
    return this.client.view;
  }

  /** The highest action seq the room has applied and stored: the outbox keeps only what is above it (never resent). */
  get lastAcked(): number {
    return this.client.lastAcked;
  }

  /** The highest action seq the view reflects (>= `lastAcked`): client prediction replays only the inputs above it. */
  get lastApplied(): number {
    return this.client.lastApplied;
  }

  get roomId(): string | undefined {
    return this.client.welcome?.roomId;
  }

  get playerId(): string | undefined {
    return this.client.welcome?.playerId;
  }

  get team(): string | undefined {
    return this.client.welcome?.team;
  }

  get role(): "player" | "spectator" | undefined {
    return this.client.welcome?.role;
  }

  /** What the game's `endIf` returned, once the match has ended; typed from it (null when it ended for another reason). */
  get result(): ResultOf<GameOf<N>> | null | undefined {
    return this.client.result;
  }

  /**
   * Why the match ended, once it has: `finished` (the game's own end), `abandoned` (nobody was connected),
   * `incompatible` (the server's game code changed and could not carry the match over) or `limit`.
   */
  get endReason(): ResultMessage["reason"] | undefined {
    return this.client.ended?.reason;
  }

  /** The room's chat: `chat.send("team", "on my way")`, `chat.send("whisper", "psst", playerId)`, `chat.lines`, `chat.unread()`. */
  get chat(): ChatLog {
    return this.client.chat;
  }

  /** What a page keeps (sessionStorage) to come back to this seat after a reload. */
  get resumeToken(): ResumeToken | undefined {
    const welcome = this.client.welcome;
    return welcome?.reconnectToken ? { game: this.game, roomId: welcome.roomId, token: welcome.reconnectToken } : undefined;
  }

  /** Called on every change: view, connection status, latency, result. Returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Errors the room sends (a refused action, a rate limit...); a refusal's `detail` is the game's reason. Returns the unsubscribe. */
  onError(listener: (error: GameError<GameOf<N>>) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Typed by the game's zod schemas; kept until acknowledged and resent with the same seq after a reconnect. */
  send<Name extends keyof ActionsOf<GameOf<N>> & string>(action: Name, payload: ActionsOf<GameOf<N>>[Name]): number {
    return this.client.send(action, payload);
  }

  /** Failed connection attempts since the last connection that stayed up. */
  get reconnectAttempts(): number {
    return this.#socket.attempts;
  }

  /**
   * Start a fresh connection now (the page came back online, say); the seat, view and outbox carry over.
   * Safe at any moment: during a backoff it connects at once, while an attempt is under way it does nothing more.
   */
  reconnect(): void {
    // A socket open but not yet welcomed is the fresh connection: the room has already rotated the reconnect
    // token, and the new one arrives only in the welcome, so dropping it now would lose the seat.
    if (this.status === "open" && !this.client.welcomed) return;
    this.#socket.drop("reconnect requested");
  }

  /** Leave for good: stops the heartbeat, any pending retry, and the socket (also one still opening). */
  leave(): void {
    clearInterval(this.#heartbeat);
    this.client.leave();
    this.#socket.close(closes.left.code, "leaving");
  }

  #ping(): void {
    const ws = this.client.socket;
    if (this.status !== "open" || ws?.readyState !== 1) return;
    // A heartbeat unanswered this long means a dead path the browser has not noticed: start over.
    if (this.#pingSentAt !== undefined) {
      if (Date.now() - this.#pingSentAt > PONG_TIMEOUT_MS) this.#socket.drop("heartbeat timeout");
      return;
    }
    this.#pingSentAt = Date.now();
    ws.send(PING);
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
