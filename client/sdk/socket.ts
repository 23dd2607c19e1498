// A WebSocket that comes back: jittered exponential backoff, a minimum uptime before the retry count resets,
// and a decision per close code whether coming back makes sense at all.

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

/**
 * Close codes after which reconnecting cannot help: the client left, the room kicked it for flooding,
 * another connection took the seat, the room has closed, or the socket went silent for too long.
 */
export const finalCloseCodes: Readonly<Record<number, string>> = {
  1000: "left",
  1008: "kicked for flooding",
  4001: "replaced by another connection",
  4002: "room closed",
  4410: "seat gone",
};

/** Client-side only (never sent by a server): the URL provider found that coming back is impossible. */
export const SEAT_GONE = 4410;

/** Thrown by a URL provider to stop reconnecting for good; the session closes with `SEAT_GONE`. */
export class GiveUp extends Error {}

export const shouldReconnect = (code: number): boolean => !Object.hasOwn(finalCloseCodes, code);

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
  });

export class ReconnectingSocket {
  status: ConnectionStatus = "connecting";
  /** Attempts since the last connection that stayed up for `minUptimeMs`. */
  attempts = 0;
  /** How the last connection ended. */
  lastClose: { code: number; reason: string } | undefined;
  #ws: WebSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
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

  /** Close for good; no reconnect follows. */
  close(code = 1000, reason = "leaving"): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#ws?.close(code, reason);
    this.#setStatus("closed");
  }

  /**
   * Drop the current connection and come back (after a missed heartbeat, say). Does not wait for the close
   * handshake: on a dead path its answer may never come.
   */
  drop(reason: string): void {
    const ws = this.#ws;
    if (!ws || this.#stopped) return;
    this.#ws = undefined;
    ws.close(4000, reason);
    this.#retry({ code: 4000, reason });
  }

  async #connect(): Promise<void> {
    let ws: WebSocket;
    try {
      ws = await this.connect(await this.url(), this.policy.connectTimeoutMs);
    } catch (error) {
      if (error instanceof GiveUp) return this.#retry({ code: SEAT_GONE, reason: error.message });
      return this.#retry({ code: 1006, reason: error instanceof Error ? error.message : "could not connect" });
    }
    if (this.#stopped) return ws.close(1000, "leaving");
    this.#ws = ws;
    const openedAt = Date.now();
    ws.addEventListener("close", (event) => {
      if (this.#ws !== ws) return;
      // Judged at close time: a connection that keeps dropping right after opening must not look healthy.
      if (Date.now() - openedAt >= this.policy.minUptimeMs) this.attempts = 0;
      this.#retry({ code: event.code, reason: event.reason });
    });
    this.#setStatus("open");
    this.events.open(ws);
  }

  #retry(close: { code: number; reason: string }): void {
    this.lastClose = close;
    if (this.#stopped) return;
    if (!shouldReconnect(close.code) || this.attempts >= this.policy.maxAttempts) {
      this.#stopped = true;
      return this.#setStatus("closed", close);
    }
    this.#setStatus("reconnecting", close);
    this.#timer = setTimeout(() => void this.#connect(), backoffDelay(this.attempts, this.policy, this.random));
    this.attempts += 1;
  }

  #setStatus(status: ConnectionStatus, close?: { code: number; reason: string }): void {
    if (this.status === status && status !== "reconnecting") return;
    this.status = status;
    this.events.status(status, close);
  }
}
