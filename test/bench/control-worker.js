// The bench's do-nothing control: a Durable Object that accepts the same hibernatable sockets and only counts their messages.
import { DurableObject } from "cloudflare:workers";

export class Control extends DurableObject {
  messages = 0;

  async fetch(request) {
    if (new URL(request.url).pathname.endsWith("/count")) return Response.json({ messages: this.messages });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage() {
    this.messages += 1;
  }
}

export default {
  /** /rooms/<id>/ws: a socket on room <id>'s object; /rooms/<id>/count: its message count; /api/health. */
  async fetch(request, env) {
    const match = /^\/rooms\/([\w-]{1,64})\/(ws|count)$/.exec(new URL(request.url).pathname);
    if (!match) return new Response(JSON.stringify({ ok: true }), { headers: { "content-type": "application/json" } });
    return env.CONTROL.getByName(match[1]).fetch(request);
  },
};
