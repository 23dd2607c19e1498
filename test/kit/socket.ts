// A test WebSocket client inside workerd: the SDK's RoomClient plus a message log and waiting helpers.
import { exports } from "cloudflare:workers";
import type { ErrorBody } from "../../src/protocol/errors.ts";
import type { ServerMessage, WelcomeMessage } from "../../src/protocol/messages.ts";
import { RoomClient } from "../../client/sdk/room-client.ts";
import type { Connect } from "../../client/sdk/socket.ts";
import { sameJson } from "./json.ts";

/** The frame that gives a seat up at once: sent raw, so a test sees the room's answer before the socket closes. */
export const LEAVE = JSON.stringify({ type: "leave" });

export class TestSocket {
  readonly messages: ServerMessage[] = [];
  readonly client: RoomClient<unknown>;
  closed: { code: number; reason: string } | undefined;
  /** Resync snapshots at an unchanged version whose view differed from the patched one. */
  mismatches = 0;
  #barrier = false;
  #seq = 0;
  #waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    // Registered before the client's own listener, so a snapshot is seen before it replaces the view.
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      this.messages.push(message);
      if (message.type === "snapshot" && this.#barrier) {
        this.#barrier = false;
        if (message.version === this.client.version && !sameJson(message.view, this.client.view)) this.mismatches += 1;
      }
      queueMicrotask(() => this.#wake());
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.#wake();
    });
    ws.accept();
    this.client = new RoomClient(ws);
  }

  /** Open a socket through the Worker's real upgrade route; resolves once the welcome and first view arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const attempt = await TestSocket.attempt(url, headers);
    if (!attempt.socket) throw new Error(`upgrade refused: ${attempt.status} ${JSON.stringify(attempt.error)}`);
    await attempt.socket.next(isType("snapshot"));
    return attempt.socket;
  }

  /** Try an upgrade: the socket when accepted, else the status and error body. */
  static async attempt(url: string, headers: Record<string, string> = {}): Promise<{ socket?: TestSocket; status: number; error?: ErrorBody }> {
    const response = await exports.default.fetch(url, { headers: { Upgrade: "websocket", ...headers } });
    if (response.webSocket) return { socket: new TestSocket(response.webSocket), status: response.status };
    return { status: response.status, error: (await response.json()) as ErrorBody };
  }

  get welcome(): WelcomeMessage | undefined {
    return this.client.welcome;
  }

  /** Roster and game view, as patched locally. */
  get view(): unknown {
    return this.client.view;
  }

  /** Just the game's part of the view. */
  get game(): unknown {
    return this.client.view?.game;
  }

  get gaps(): number {
    return this.client.gaps;
  }

  send(frame: string | ArrayBuffer): void {
    this.ws.send(frame);
  }

  /** Send an action with the next seq, or with a given one to test duplicates and gaps. Untyped on purpose: tests send bad ones. */
  act(action: string, payload: unknown, seq = this.#seq + 1): number {
    this.#seq = Math.max(this.#seq, seq);
    this.send(JSON.stringify({ type: "action", seq, action, payload }));
    return seq;
  }

  /** Wait for a message matching `match` that arrived after `from` (an index into messages). */
  async next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, from?: number, timeoutMs?: number): Promise<T>;
  async next(match: (m: ServerMessage) => boolean, from?: number, timeoutMs?: number): Promise<ServerMessage>;
  async next(match: (m: ServerMessage) => boolean, from = 0, timeoutMs = 15_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.closed || Date.now() > deadline) throw new Error(`no matching message (closed: ${JSON.stringify(this.closed)})`);
      await this.#wait();
    }
  }

  /** Wait for the server to close this socket; resolves with the close code and reason. */
  async closing(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("socket was not closed");
      await this.#wait();
    }
    return this.closed;
  }

  /**
   * Wait until the room has handled everything this socket sent. A heartbeat would not do: the
   * runtime answers it without queueing behind the room's work. A resync goes through the room,
   * and its snapshot doubles as a check that the patched view equals the server's.
   */
  async flush(): Promise<void> {
    const from = this.messages.length;
    this.#barrier = true;
    this.send('{"type":"resync"}');
    await this.next(isType("snapshot"), from);
  }

  /** Until the next message or close, or 50 ms; the timer is cleared either way (workerd caps active timeouts at 10,000). */
  #wait(): Promise<void> {
    return new Promise<void>((wake) => {
      const timer = setTimeout(wake, 50);
      this.#waiters.push(() => {
        clearTimeout(timer);
        wake();
      });
    });
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/**
 * The room acknowledged `seq`: with an update whose `ack` covers it (realtime games), or with an `ack` message
 * (turn-based games, a duplicate, a socket too far behind to be sent updates).
 */
export const acknowledges =
  (seq: number) =>
  (m: ServerMessage): boolean =>
    m.type === "ack" ? m.seq === seq : (m.type === "patch" || m.type === "snapshot") && (m.ack ?? 0) >= seq;

export const isType =
  <K extends ServerMessage["type"]>(type: K) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type;

/** The SDK's `connect` inside workerd: upgrades through the Worker's real route, so `joinGame` can run in tests. */
export const connectInWorkerd: Connect = async (url) => {
  // fetch() speaks http(s) only; the Upgrade header is what asks for a socket.
  const response = await exports.default.fetch(url.replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } });
  const ws = response.webSocket;
  if (!ws) throw new Error(`upgrade refused: ${response.status}`);
  ws.accept();
  return ws;
};
