// A room connection: holds the audience's view, applies patches in order, resyncs on any gap, and keeps
// unacknowledged actions in an outbox so they survive a change of socket.
import type { ActionsOf, GameError, ResultOf, ViewOf } from "../../src/protocol/game-types.ts";
import type { ActionMessage, ResultMessage, RoomView, SeenMessage, ServerMessage, WelcomeMessage } from "../../src/protocol/messages.ts";
import { closes } from "../../src/protocol/close-codes.ts";
import { errorBody } from "../../src/protocol/errors.ts";
import { SEQ_WINDOW } from "../../src/protocol/limits.ts";
import type { Inflate } from "../../src/protocol/frames.ts";
import { orderedReader } from "./ordered-reader.ts";
import { applyOps } from "./patch.ts";
import { ChatLog } from "./chat.ts";

export interface RoomClientOptions<G = unknown> {
  /** Called after every change of the local view (snapshot, applied patch, result). */
  readonly onChange?: () => void;
  /** Errors the room sends; for `rejected`, `detail` is typed as one of the game's reasons. */
  readonly onError?: (error: GameError<G>) => void;
  /** Called for every server message before the client handles it, with its raw text. */
  readonly onMessage?: (message: ServerMessage, text: string) => void;
  /**
   * The view and version a previous connection held, when this one resumes with `?reconnect=…&version=…`:
   * the room then sends only the patches missed since (or a snapshot when they are gone).
   */
  readonly resume?: { readonly view: unknown; readonly version: number };
  /**
   * Report the version held (`{"type":"seen"}`) at most once per this many ms, when it changed; the room stops
   * sending to a client whose unread backlog grows too large. Off when left out.
   */
  readonly receiptEveryMs?: number;
  /**
   * How compressed frames are inflated: the platform's `DecompressionStream` when left out. A process holding many
   * clients (bots in Node) passes a synchronous one, `(body) => inflateRawSync(body).toString()` from `node:zlib`.
   */
  readonly inflate?: Inflate;
}

/** How long to wait before asking again when the room refused a resync as too soon (`resync_limited`). */
const RESYNC_RETRY_MS = 1_000;

/**
 * Typed over a game definition so `send` checks action names and payloads at compile time. Everything it
 * retains is bounded: the view, one outbox entry per unacknowledged action, and a couple of timers.
 */
export class RoomClient<G> {
  socket: WebSocket | undefined;
  /**
   * The highest seq the room has processed and stored: a realtime game says it in every update (`ack`, set before
   * the update's view is taken, so `view` reflects every action up to it), a turn-based one in `ack` messages (which
   * arrive in seq order), and every welcome in `lastSeq`.
   */
  lastAcked = 0;
  /**
   * The highest seq the view reflects (`applied ?? ack` of the last update; never below `lastAcked`): what client
   * prediction reconciles from. Equal to `lastAcked` unless the room applied actions it has not stored yet.
   */
  lastApplied = 0;
  welcome: WelcomeMessage | undefined;
  /** The roster and this audience's game view. */
  view: RoomView<ViewOf<G>> | undefined;
  /** The version of `view`; -1 while none is held or a resync is on its way. */
  version = -1;
  /** What the game's `endIf` returned, once the match has ended (null when it ended for another reason). */
  result: ResultOf<G> | null | undefined;
  /** The message that ended the match, with everything the room said about the ending. */
  ended: ResultMessage<ResultOf<G>> | undefined;
  /** Patches that did not fit the held version or did not apply; each one triggered a resync. */
  gaps = 0;
  /** The room's chat as this socket may see it: `chat.send(channel, text)`, `chat.lines`, `chat.unread()`. */
  readonly chat = new ChatLog(
    (text) => this.#welcomed && this.#write(text),
    () => this.welcome?.playerId,
  );
  #seq = 0;
  /** Sent actions not yet acknowledged, by seq, as sent: a new socket resends them with the same seq. */
  readonly #outbox = new Map<number, string>();
  /** Whether the current socket has been welcomed; actions wait in the outbox until it has. */
  #welcomed = false;
  /** The newest version read on this socket, the last one reported, and the pending report. */
  #receipt: { read: number; sent: number; timer: ReturnType<typeof setTimeout> | undefined } = { read: -1, sent: -1, timer: undefined };
  #resyncRetry: ReturnType<typeof setTimeout> | undefined;
  readonly #options: RoomClientOptions<G>;
  #listener: ((event: MessageEvent) => void) | undefined;

  /** Connect to a socket URL (from `joinRoom`), adopt a socket, or wait for `attach`. */
  constructor(socket?: string | WebSocket, options: RoomClientOptions<G> = {}) {
    this.#options = options;
    if (options.resume) {
      this.view = options.resume.view as RoomView<ViewOf<G>>;
      this.version = options.resume.version;
    }
    if (socket !== undefined) this.attach(typeof socket === "string" ? new WebSocket(socket) : socket);
  }

  /** Switch to a new socket for the same seat; the view, seqs and outbox carry over. */
  attach(socket: WebSocket): void {
    if (this.#listener) this.socket?.removeEventListener("message", this.#listener);
    this.socket = socket;
    this.#welcomed = false;
    // The room meters each socket on its own, from its first receipt.
    this.#receipt.read = -1;
    this.#receipt.sent = -1;
    // Compressed frames (src/protocol/frames.ts) come as binary messages: read them as bytes, not Blobs.
    socket.binaryType = "arraybuffer";
    // Text and frames in the order they came; a message still inflating when this socket is replaced is dropped.
    const read = orderedReader((text) => socket === this.socket && this.#receive(text), this.#options.inflate);
    this.#listener = (event: MessageEvent) => read(event.data as string | ArrayBuffer);
    socket.addEventListener("message", this.#listener);
  }

  /** The highest seq sent (or processed by the room before this connection). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Whether the current socket has been welcomed (it holds the seat, and the welcome's reconnect token is the live one). */
  get welcomed(): boolean {
    return this.#welcomed;
  }

  /** Actions sent and not yet acknowledged. */
  get pending(): number {
    return this.#outbox.size;
  }

  /**
   * Send an action with the next seq (or queue it until the socket is welcomed); returns the seq. With
   * `SEQ_WINDOW` (256) actions already unacknowledged (a long time offline) the room would refuse it, so it is
   * refused here: 0 comes back and `onError` hears `rate_limited`; the outbox never holds more.
   */
  send<Name extends keyof ActionsOf<G> & string>(action: Name, payload: ActionsOf<G>[Name]): number {
    if (this.#outbox.size >= SEQ_WINDOW) {
      this.#options.onError?.(errorBody("rate_limited", { detail: `outbox full: ${SEQ_WINDOW} actions wait for an acknowledgement` }) as GameError<G>);
      return 0;
    }
    this.#seq += 1;
    const message: ActionMessage = { type: "action", seq: this.#seq, action, payload: payload as Record<string, unknown> };
    const text = JSON.stringify(message);
    this.#outbox.set(this.#seq, text);
    if (this.#welcomed) this.#write(text);
    return this.#seq;
  }

  /** Drop the view and ask the room for a fresh snapshot. */
  resync(): void {
    this.version = -1;
    this.#write(JSON.stringify({ type: "resync" }));
  }

  /**
   * Give the seat up at once (`{"type":"leave"}`, which the room answers by freeing it rather than holding it
   * for the grace period), then close.
   */
  leave(): void {
    this.#write(JSON.stringify({ type: "leave" }));
    this.close();
  }

  /** Stop the client's timers and close its socket for good; the room holds the seat as for any dropped connection. */
  close(): void {
    if (this.#receipt.timer !== undefined) clearTimeout(this.#receipt.timer);
    if (this.#resyncRetry !== undefined) clearTimeout(this.#resyncRetry);
    this.socket?.close(closes.left.code, "leaving");
  }

  /** Sends on an open socket; a closed one drops the frame, and the outbox or a resync covers what mattered. */
  #write(text: string): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(text);
    return true;
  }

  #receive(text: string): void {
    const message = JSON.parse(text) as ServerMessage<RoomView<ViewOf<G>>, ResultOf<G>>;
    this.#options.onMessage?.(message, text);
    switch (message.type) {
      case "welcome":
        return this.#welcome(message);
      case "snapshot":
        this.#acked(message.ack, message.applied);
        this.#read(message.version);
        this.view = message.view;
        this.version = message.version;
        return this.#changed();
      case "patch": {
        // The ack is about what the room stored, so it counts even for a patch this client cannot apply.
        this.#acked(message.ack, message.applied);
        this.#read(message.to);
        // Patches that arrive while a resync is on its way are superseded by its snapshot.
        if (this.version === -1) return;
        const next = message.from === this.version && this.view !== undefined ? applyOps(this.view, message.ops) : undefined;
        if (next === undefined) {
          this.gaps += 1;
          return this.resync();
        }
        this.view = next;
        this.version = message.to;
        return this.#changed();
      }
      case "ack":
        this.lastAcked = Math.max(this.lastAcked, message.seq);
        this.lastApplied = Math.max(this.lastApplied, this.lastAcked);
        this.#outbox.delete(message.seq);
        return;
      case "error":
        if (message.seq !== undefined) this.#outbox.delete(message.seq);
        // A resync asked too soon after the last one: the view is still stale, so ask again once allowed.
        if (message.code === "resync_limited") this.#retryResync(Number(message.detail));
        return this.#options.onError?.(message as GameError<G>);
      case "result":
        this.ended = message;
        this.result = message.result;
        return this.#options.onChange?.();
      case "chat":
      case "chat-history":
        if (this.chat.receive(message)) this.#changed();
        return;
      case "pong":
        return;
    }
  }

  /** An update's cumulative ack: every action up to it is stored, so none of them is resent; `applied` only informs. */
  #acked(ack: number | undefined, applied: number | undefined): void {
    if (ack === undefined) return;
    this.lastApplied = Math.max(this.lastApplied, applied ?? ack, ack);
    if (ack <= this.lastAcked) return;
    this.lastAcked = ack;
    // The outbox is in seq order (a Map keeps insertion order, and seqs only grow).
    for (const seq of this.#outbox.keys()) {
      if (seq > ack) break;
      this.#outbox.delete(seq);
    }
  }

  #retryResync(waitMs: number): void {
    if (this.#resyncRetry !== undefined) return;
    this.#resyncRetry = setTimeout(
      () => {
        this.#resyncRetry = undefined;
        if (this.version === -1) this.resync();
      },
      Number.isFinite(waitMs) && waitMs >= 0 ? Math.min(waitMs, RESYNC_RETRY_MS) : RESYNC_RETRY_MS,
    );
  }

  /**
   * An update was read: receipts report it even when it could not be applied (a gap, a resync on its way),
   * since the room meters what was read, and one that is holding updates back waits for exactly this.
   */
  #read(version: number): void {
    this.#receipt.read = Math.max(this.#receipt.read, version);
    this.#scheduleReceipt();
  }

  #welcome(message: WelcomeMessage): void {
    this.welcome = message;
    this.#welcomed = true;
    this.#seq = Math.max(this.#seq, message.lastSeq);
    // Processed while no socket could carry the ack: the welcome says so instead.
    this.lastAcked = Math.max(this.lastAcked, message.lastSeq);
    this.lastApplied = Math.max(this.lastApplied, this.lastAcked);
    // What the room processed before this socket needs no resend; the rest goes again with the same seq.
    for (const [seq, text] of this.#outbox) {
      if (seq <= message.lastSeq) this.#outbox.delete(seq);
      else this.#write(text);
    }
  }

  #changed(): void {
    this.#options.onChange?.();
  }

  #scheduleReceipt(): void {
    const every = this.#options.receiptEveryMs;
    if (every === undefined || this.#receipt.timer !== undefined) return;
    this.#receipt.timer = setTimeout(() => {
      this.#receipt.timer = undefined;
      const { read, sent } = this.#receipt;
      if (read === -1 || read === sent) return;
      this.#receipt.sent = read;
      this.#write(JSON.stringify({ type: "seen", version: read } satisfies SeenMessage));
    }, every);
  }
}
