// The bench's controls: a Durable Object that accepts the same hibernatable sockets and counts their messages, and (floor) also sends each an arena-sized update per tick.
import { DurableObject } from "cloudflare:workers";

const TICK_MS = 50;
const SPEED_PER_TICK = 10;
const TURN_TICKS = 20;
const WORLD = 1000;
const round2 = (n) => Math.round(n * 100) / 100;

export class Control extends DurableObject {
  messages = 0;
  sent = 0;
  /** Per socket: the inputs it sent, what its update's `ack` reports (the template acks in its updates). */
  heard = new WeakMap();
  walkers = [];
  version = 0;
  timer = undefined;

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/count")) return Response.json({ messages: this.messages, sent: this.sent });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    if (url.searchParams.has("send")) this.#startSending();
    // The floor compresses as the template does (settings.deflateWindowBits, answered by src/worker/edge/deflate.ts).
    const bits = url.searchParams.get("window");
    const offered = /permessage-deflate/i.test(request.headers.get("Sec-WebSocket-Extensions") ?? "");
    const headers = bits && offered ? { "Sec-WebSocket-Extensions": `permessage-deflate; server_max_window_bits=${bits}; client_max_window_bits=15` } : {};
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  async webSocketMessage(ws) {
    this.messages += 1;
    this.heard.set(ws, (this.heard.get(ws) ?? 0) + 1);
  }

  /**
   * The floor for the template's traffic both ways: each tick, every socket gets the update the arena bench sends
   * (one replace of `/game/at`, a position per socket moving like a bot, its own ack spliced in), nothing else:
   * no state, no storage, no validation. One timer chain aimed at the next tick, as a room's loop is.
   */
  #startSending() {
    if (this.timer !== undefined) return;
    let next = Date.now() + TICK_MS;
    const tick = () => {
      const sockets = this.ctx.getWebSockets();
      if (sockets.length === 0) return void (this.timer = undefined);
      this.#walk(sockets.length);
      const from = this.version;
      this.version += 2;
      const text = JSON.stringify({ type: "patch", from, to: this.version, ops: [{ op: "replace", path: "/game/at", value: this.walkers.map((w) => [w.x, w.y]) }] });
      for (const ws of sockets) {
        ws.send(`${text.slice(0, -1)},"ack":${this.heard.get(ws) ?? 0}}`);
        this.sent += 1;
      }
      next += TICK_MS;
      this.timer = setTimeout(tick, Math.max(0, next - Date.now()));
    };
    this.timer = setTimeout(tick, TICK_MS);
  }

  /** One walker per socket: a straight line for a second, then a new direction, clamped and rounded like the arena. */
  #walk(count) {
    while (this.walkers.length < count) this.walkers.push({ x: round2(Math.random() * WORLD), y: round2(Math.random() * WORLD), dx: 0, dy: 0, ticks: 0 });
    this.walkers.length = count;
    for (const w of this.walkers) {
      if (w.ticks % TURN_TICKS === 0) {
        const angle = Math.random() * 2 * Math.PI;
        [w.dx, w.dy] = [Math.cos(angle), Math.sin(angle)];
      }
      w.ticks += 1;
      w.x = round2(Math.min(WORLD, Math.max(0, w.x + w.dx * SPEED_PER_TICK)));
      w.y = round2(Math.min(WORLD, Math.max(0, w.y + w.dy * SPEED_PER_TICK)));
    }
  }
}

export default {
  /** /rooms/<id>/ws[?send&window=bits]: a socket on room <id>'s object; /rooms/<id>/count: its message counts; /api/health. */
  async fetch(request, env) {
    const match = /^\/rooms\/([\w-]{1,64})\/(ws|count)$/.exec(new URL(request.url).pathname);
    if (!match) return new Response(JSON.stringify({ ok: true }), { headers: { "content-type": "application/json" } });
    return env.CONTROL.getByName(match[1]).fetch(request);
  },
};
