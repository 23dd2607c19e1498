// A test WebSocket client inside workerd: queues every server message and applies patches like the SDK.
import { exports } from "cloudflare:workers";
import type { ServerMessage } from "../../src/engine/protocol";
import { applyOps } from "../../client/sdk/patch";

export class TestSocket {
  readonly messages: ServerMessage[] = [];
  readonly ws: WebSocket;
  view: unknown;
  version = -1;
  /** Patches that did not fit the held version or did not apply; each triggers a resync. */
  gaps = 0;
  /** Resync snapshots at an unchanged version whose view differed from the patched one. */
  mismatches = 0;
  #barrier = false;
  closed: { code: number; reason: string } | undefined;
  #waiters: (() => void)[] = [];
  #seq = 0;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      this.messages.push(message);
      this.#track(message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      for (const wake of this.#waiters.splice(0)) wake();
    });
    ws.accept();
  }

  /** Open a socket through the Worker's real upgrade route. */
  static async open(url: string): Promise<TestSocket> {
    const response = await exports.default.fetch(url, { headers: { Upgrade: "websocket" } });
    if (!response.webSocket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
    return new TestSocket(response.webSocket);
  }

  send(frame: string | ArrayBuffer): void {
    this.ws.send(frame);
  }

  /** Send an action with the next seq (or a given one); returns the seq used. */
  act(action: string, payload: unknown, seq = this.#seq + 1): number {
    this.#seq = Math.max(this.#seq, seq);
    this.send(JSON.stringify({ type: "action", seq, action, payload }));
    return seq;
  }

  /** Wait for a message matching `match` that arrived after `from` (an index into messages). */
  async next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, from = 0, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.closed || Date.now() > deadline) throw new Error(`no matching message (closed: ${JSON.stringify(this.closed)})`);
      await new Promise<void>((wake) => {
        this.#waiters.push(wake);
        setTimeout(wake, 50);
      });
    }
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

  #track(message: ServerMessage): void {
    if (message.type === "snapshot") {
      if (this.#barrier && message.version === this.version && !sameJson(message.view, this.view)) {
        this.mismatches += 1;
      }
      this.#barrier = false;
      this.view = message.view;
      this.version = message.version;
    } else if (message.type === "patch") {
      const next = message.from === this.version ? applyOps(this.view, message.ops) : undefined;
      if (next === undefined) {
        this.gaps += 1;
        this.version = -1;
        this.send('{"type":"resync"}');
        return;
      }
      this.view = next;
      this.version = message.to;
    }
  }
}

export const isType =
  <K extends ServerMessage["type"]>(type: K) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type;

/** Deep equality of JSON values, ignoring key order (patches append keys where the server may not). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
