// Idle sockets: when each socket was last heard from, which are silent past the timeout, and when to look again.
import type { RoomSockets } from "./sockets.ts";

/** A sweep also closes sockets within this of going idle, so sockets that fell silent together cost one alarm. */
const SLACK_MS = 1000;

export class Liveness {
  #sockets: RoomSockets;
  #ctx: DurableObjectState;
  /**
   * Each socket's last message, on the room's clock. In memory only: rewriting the attachment on every
   * message would cost a serialization each; after a wake the attachment's connect time stands in, and heartbeats,
   * which the runtime stamps itself, keep counting.
   */
  #lastMessage = new WeakMap<WebSocket, number>();
  /** When the next open socket could go idle; null with none open; undefined when unknown (after a wake). */
  #idleAt: number | null | undefined;
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(ctx: DurableObjectState, sockets: RoomSockets) {
    this.#ctx = ctx;
    this.#sockets = sockets;
  }

  heard(ws: WebSocket, now: number): void {
    this.#lastMessage.set(ws, now);
  }

  /** A socket was accepted now: it can go idle no sooner than `timeoutMs` from now. */
  accepted(now: number, timeoutMs: number): void {
    if (this.#idleAt !== undefined) this.#idleAt = Math.min(this.#idleAt ?? Number.POSITIVE_INFINITY, now + timeoutMs);
  }

  /**
   * When the alarm should next sweep; null while no socket is open, so an empty room is never woken for this.
   * Messages do not move it: a sweep that finds nobody idle costs less than an alarm write per message.
   */
  nextSweep(now: number, timeoutMs: number): number | null {
    if (this.#idleAt === undefined) this.#idleAt = this.#scan(now, timeoutMs).next;
    // Inspectors are dev tools outside the idle policy: they never keep an alarm armed for themselves.
    if (this.#idleAt !== null && !this.#sockets.clients().some(isOpen)) this.#idleAt = null;
    return this.#idleAt;
  }

  /** Close the open sockets silent for `timeoutMs` (`closes.idle`) and return them; skipped if the last sweep was under `everyMs` ago. */
  sweep(now: number, timeoutMs: number, everyMs: number): WebSocket[] {
    if (everyMs > 0 && now - this.#sweptAt < everyMs) return [];
    this.#sweptAt = now;
    const { idle, next } = this.#scan(now, timeoutMs);
    this.#idleAt = next;
    for (const ws of idle) this.#sockets.close(ws, "idle");
    return idle;
  }

  #scan(now: number, timeoutMs: number): { idle: WebSocket[]; next: number | null } {
    const wallNow = Date.now();
    const idle: WebSocket[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const ws of this.#sockets.clients()) {
      const attachment = this.#sockets.attachment(ws);
      if (!isOpen(ws) || !attachment) continue;
      const at = this.#lastHeard(ws, attachment.connectedAt, now, wallNow) + timeoutMs;
      if (at <= now + SLACK_MS) idle.push(ws);
      else next = Math.min(next, at);
    }
    return { idle, next: next === Number.POSITIVE_INFINITY ? null : next };
  }

  #lastHeard(ws: WebSocket, connectedAt: number, now: number, wallNow: number): number {
    const message = this.#lastMessage.get(ws) ?? connectedAt;
    const stamp = this.#ctx.getWebSocketAutoResponseTimestamp(ws);
    // The runtime stamps heartbeats with wall time; taken as an age, they read right on the room's clock
    // (the same clock, except in tests, which drive a virtual one).
    return stamp === null ? message : Math.max(message, now - (wallNow - stamp.getTime()));
  }
}

const isOpen = (ws: WebSocket): boolean => ws.readyState === WebSocket.OPEN;
