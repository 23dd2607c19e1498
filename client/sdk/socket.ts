// A WebSocket that comes back: jittered exponential backoff, a minimum uptime before the retry count resets,
// and a decision per close code (the protocol's close table) whether coming back makes sense at all.
import { closes, shouldReconnect } from "../../src/protocol/close-codes.ts";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface ReconnectPolicy {
  /** First retry waits about this long... */
  readonly minDelayMs: number;
  /** ...each further one `factor` times longer, up to this. */
  readonly maxDelayMs: number;
  readonly factor: number;
  /** A connection must stay up this long before the retry count starts again from zero. */
  readonly minUptimeMs: number;
  /** Attempts in a row without reaching `minUptimeMs` before giving up (status `closed`). */
  readonly maxAttempts: number;
  /** An attempt not open after this long is abandoned and counted as failed. */
  readonly connectTimeoutMs: number;
}

export const defaultPolicy: ReconnectPolicy = {
  minDelayMs: 250,
  maxDelayMs: 8_000,
  factor: 2,
  minUptimeMs: 5_000,
  maxAttempts: 12,
  connectTimeoutMs: 8_000,
};

/** The close codes after which the SDK does not come back, with what each means: read from the protocol's table. */
export const finalCloseCodes: Readonly<Record<number, string>> = Object.fromEntries(
  Object.values(closes).flatMap((close) => (close.reconnect ? [] : [[close.code, close.meaning]])),
);

/** Thrown by a URL provider to stop reconnecting for good; the session closes with `closes.seatGone`. */
export class GiveUp extends Error {}

/**
 * Delay before retry number `attempt` (0-based): "equal jitter" — half the exponential step is fixed, half
 * random — so a room's worth of clients dropped by one network blip do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, policy: ReconnectPolicy = defaultPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** attempt);
  return step / 2 + random() * (step / 2);
}

export interface SocketEvents {
  /** A new socket is open; everything sent before belongs to the old one. */
  readonly open: (ws: WebSocket) => void;
  readonly status: (status: ConnectionStatus, close?: { code: number; reason: string }) => void;
}

/** Where to connect next; may fetch (a fresh spectator ticket, say). Called once per attempt. */
export type UrlProvider = () => string | Promise<string>;

/** Opens a socket and resolves once it is open. Browsers use `openWebSocket`; tests and other runtimes bring their own. */
export type Connect = (url: string, timeoutMs: number) => Promise<WebSocket>;

export const openWebSocket: Connect = (url, timeoutMs) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => ws.close(), timeoutMs);
    ws.addEventListener("open", () => {
      clearTimeout(timer);
      resolve(ws);
    });
    // A refused upgrade shows up only as a close (1006), with no status or body: the page cannot tell why.
    ws.addEventListener("close", (event) => {
      clearTimeout(timer);
      reject(new Error(`closed before open: ${event.code}`));
    });
    // Node's WebSocket reports a refused connection as an error and may send no close after it.
    ws.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error("connection failed before open"));
    });
  });

type Close = { code: number; reason: string };

/**
 * At most one socket per session is ever open or being opened: each attempt carries a generation number,
 * and a socket from an attempt that was superseded (a `drop`, a `close`) is closed the moment it opens.
 */
export class ReconnectingSocket {
  status: ConnectionStatus = "connecting";
  /** Attempts since the last connection that stayed up for `minUptimeMs`. */
  attempts = 0;
  /** How the last connection ended. */
  lastClose: Close | undefined;
  /** The open socket; undefined while connecting, waiting to retry, or closed. */
  #ws: WebSocket | undefined;
  /** The pending retry, while waiting out a backoff. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether an attempt is under way (fetching its URL or opening). */
  #connecting = false;
  /** Bumped by every new attempt and by `close`: an attempt that finds it changed is stale. */
  #generation = 0;
  #stopped = false;

  constructor(
    private readonly url: UrlProvider,
    private readonly events: SocketEvents,
    private readonly policy: ReconnectPolicy = defaultPolicy,
    private readonly connect: Connect = openWebSocket,
    private readonly random: () => number = Math.random,
  ) {
    void this.#connect();
  }

  get socket(): WebSocket | undefined {
    return this.#ws;
  }

  /** Close for good; no reconnect follows, and an attempt under way closes its socket as soon as it opens. */
  close(code: number = closes.left.code, reason = "leaving"): void {
    this.#stopped = true;
    this.#generation += 1;
    this.#connecting = false;
    this.#clearTimer();
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.close(code, reason);
    this.#setStatus("closed");
  }

  /**
   * Drop the current connection (if any) and start a fresh one now: after a missed heartbeat, or when the
   * page came back online. Does not wait for the close handshake: on a dead path its answer may never come.
   * While an attempt is already under way it is that fresh connection, so nothing more starts.
   */
  drop(reason: string): void {
    if (this.#stopped || this.#connecting) return;
    this.#clearTimer();
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.close(closes.dropped.code, reason);
    this.lastClose = { code: closes.dropped.code, reason };
    this.#setStatus("reconnecting", this.lastClose);
    void this.#connect();
  }

  async #connect(): Promise<void> {
    this.#timer = undefined;
    const generation = ++this.#generation;
    this.#connecting = true;
    let ws: WebSocket;
    try {
      ws = await this.#attempt();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#connecting = false;
      if (error instanceof GiveUp) return this.#retry({ code: closes.seatGone.code, reason: error.message });
      return this.#retry({ code: closes.abnormal.code, reason: error instanceof Error ? error.message : "could not connect" });
    }
    // Superseded while opening (closed, or a newer attempt started): this socket must not become a second one.
    if (generation !== this.#generation || this.#stopped) return ws.close(closes.left.code, "superseded");
    this.#connecting = false;
    this.#ws = ws;
    const openedAt = Date.now();
    ws.addEventListener("close", (event) => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      // Judged at close time: a connection that keeps dropping right after opening must not look healthy.
      if (Date.now() - openedAt >= this.policy.minUptimeMs) this.attempts = 0;
      this.#retry({ code: event.code, reason: event.reason });
    });
    this.#setStatus("open");
    this.events.open(ws);
  }

  /** One attempt, bounded in time as a whole: a URL provider that hangs (a fetch) fails it like a slow open. */
  async #attempt(): Promise<WebSocket> {
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error("connect timed out"));
      }, this.policy.connectTimeoutMs);
    });
    const opening = (async () => this.connect(await this.url(), this.policy.connectTimeoutMs))();
    // A socket that opens after the timeout belongs to no attempt: close it.
    opening.then((ws) => timedOut && ws.close(closes.left.code, "timed out"), () => {});
    try {
      return await Promise.race([opening, timeout]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  #retry(close: Close): void {
    this.lastClose = close;
    if (this.#stopped) return;
    if (!shouldReconnect(close.code) || this.attempts >= this.policy.maxAttempts) {
      this.#stopped = true;
      return this.#setStatus("closed", close);
    }
    this.#setStatus("reconnecting", close);
    this.#clearTimer();
    this.#timer = setTimeout(() => void this.#connect(), backoffDelay(this.attempts, this.policy, this.random));
    this.attempts += 1;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #setStatus(status: ConnectionStatus, close?: Close): void {
    if (this.status === status && status !== "reconnecting") return;
    this.status = status;
    this.events.status(status, close);
  }
}
