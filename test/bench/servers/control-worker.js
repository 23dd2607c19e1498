// The bench's controls: a Durable Object that accepts the same hibernatable sockets and counts their messages, (floor) also sends each an arena-sized update per tick, and (durable) also stores the inputs as the template does.
import { DurableObject } from "cloudflare:workers";
import { deflateRawSync } from "node:zlib";

const TICK_MS = 50;
const SPEED_PER_TICK = 10;
const TURN_TICKS = 20;
const WORLD = 1000;
const round2 = (n) => Math.round(n * 100) / 100;
/** `durable`: one row per this many ticks holds the inputs heard since the last (the template's flushActionTicks). */
const STORE_TICKS = 3;
/** `durable`: rows kept, the oldest overwritten (a room's journal is bounded too). */
const STORE_SLOTS = 1000;

export class Control extends DurableObject {
  messages = 0;
  sent = 0;
  /** Per socket: the inputs it sent, what its update's `ack` reports (the template acks in its updates). */
  heard = new WeakMap();
  walkers = [];
  version = 0;
  timer = undefined;
  /** `durable`: the inputs parsed since the last row, and per socket the inputs its ack may claim (stored ones). */
  pending = undefined;
  stored = new WeakMap();

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/count")) return Response.json({ messages: this.messages, sent: this.sent });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    if (url.searchParams.has("store") && this.pending === undefined) {
      this.pending = [];
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS steps (slot INTEGER PRIMARY KEY, tick INTEGER, body TEXT)");
    }
    if (url.searchParams.has("send")) this.#startSending();
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, message) {
    this.messages += 1;
    this.heard.set(ws, (this.heard.get(ws) ?? 0) + 1);
    if (this.pending === undefined) return;
    // What any room must do with an input: read it, check its shape, keep it until it is stored.
    const input = JSON.parse(message);
    const { dx, dy } = input.payload;
    if (typeof input.seq !== "number" || typeof dx !== "number" || typeof dy !== "number") return;
    this.pending.push([input.seq, dx, dy]);
  }

  /** `durable`: every STORE_TICKS ticks with inputs, one row of them in one transaction; acks claim only stored inputs. */
  #store(sockets) {
    // Two versions a tick, as the template's updates count them.
    const tick = this.version / 2;
    if (this.pending === undefined || tick % STORE_TICKS !== 0 || this.pending.length === 0) return;
    const body = JSON.stringify(this.pending);
    this.ctx.storage.transactionSync(() => this.ctx.storage.sql.exec("INSERT OR REPLACE INTO steps (slot, tick, body) VALUES (?, ?, ?)", tick % STORE_SLOTS, tick, body));
    this.pending = [];
    for (const ws of sockets) this.stored.set(ws, this.heard.get(ws) ?? 0);
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
      this.#store(sockets);
      const acks = this.pending === undefined ? this.heard : this.stored;
      const text = JSON.stringify({ type: "patch", from, to: this.version, ops: [{ op: "replace", path: "/game/at", value: this.walkers.map((w) => [w.x, w.y]) }] });
      // Framed as the template frames an update (src/protocol/frames.ts): compressed once, each socket's ack in its suffix, one buffer.
      const body = deflateRawSync(text);
      const suffixes = sockets.map((ws) => `,"ack":${acks.get(ws) ?? 0}`);
      const slot = 1 + Math.max(...suffixes.map((suffix) => suffix.length)) + body.length;
      const slab = new Uint8Array(slot * sockets.length);
      sockets.forEach((ws, i) => {
        const suffix = suffixes[i];
        slab[i * slot] = suffix.length;
        for (let c = 0; c < suffix.length; c++) slab[i * slot + 1 + c] = suffix.charCodeAt(c);
        slab.set(body, i * slot + 1 + suffix.length);
        ws.send(slab.subarray(i * slot, i * slot + 1 + suffix.length + body.length));
        this.sent += 1;
      });
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
  /** /rooms/<id>/ws[?send]: a socket on room <id>'s object; /rooms/<id>/count: its message counts; /api/health. */
  async fetch(request, env) {
    const match = /^\/rooms\/([\w-]{1,64})\/(ws|count)$/.exec(new URL(request.url).pathname);
    if (!match) return new Response(JSON.stringify({ ok: true }), { headers: { "content-type": "application/json" } });
    return env.CONTROL.getByName(match[1]).fetch(request);
  },
};
