// HTTP routes for one room: join, spectate, inspect, and the WebSocket upgrade (ticket or reconnect token).
import { Hono } from "hono";
import { z } from "zod";
import { CodedError, errorBody } from "../../protocol/errors.ts";
import { RECONNECT_HEADER, SEAT_HEADER } from "../room/admission.ts";
import { errorResponse, isError, jsonBody, jsonQuery } from "../http.ts";
import { joinRoom, roomIdParam, roomStub, type App } from "../edge/seats.ts";
import { settings } from "../settings.ts";
import { ticketSecret, verifyTicket } from "../edge/ticket.ts";

export const nameBody = z.strictObject({ name: z.string().trim().min(1).max(settings.maxNameLength) });

const replayQuery = z.strictObject({
  from: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(settings.replayPageSteps).default(settings.replayPageSteps),
});

const RECONNECT_TOKEN = /^[a-z2-9]{24}$/;

export const rooms = new Hono<App>()
  .post("/api/rooms/:id/join", jsonBody(nameBody), async (c) => {
    const id = roomIdParam(c);
    return id instanceof Response ? id : joinRoom(c, id, c.req.valid("json").name, "player");
  })
  .post("/api/rooms/:id/spectate", jsonBody(nameBody), async (c) => {
    const id = roomIdParam(c);
    return id instanceof Response ? id : joinRoom(c, id, c.req.valid("json").name, "spectator");
  })
  .get("/api/rooms/:id", async (c) => {
    const id = roomIdParam(c);
    if (id instanceof Response) return id;
    const info = await roomStub(c.env, id).info();
    return isError(info) ? errorResponse(info) : c.json(info);
  })
  // An ended match's replay, a page at a time: `?from=` is the first step (0-based), `?limit=` at most replayPageSteps.
  .get("/api/rooms/:id/replay", jsonQuery(replayQuery), async (c) => {
    const id = roomIdParam(c);
    if (id instanceof Response) return id;
    const { from, limit } = c.req.valid("query");
    const page = await roomStub(c.env, id).replay(from, limit);
    return isError(page) ? errorResponse(page) : c.json(page);
  })
  .get("/rooms/:id/ws", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return errorResponse(errorBody("upgrade_required"));
    const id = roomIdParam(c);
    if (id instanceof Response) return id;
    const headers = new Headers(c.req.raw.headers);
    const reconnect = c.req.query("reconnect");
    if (reconnect !== undefined) {
      // Only the room knows its tokens; the Worker just refuses what cannot be one.
      if (!RECONNECT_TOKEN.test(reconnect)) return errorResponse(errorBody("reconnect_refused"));
      headers.set(RECONNECT_HEADER, reconnect);
    } else {
      try {
        const claims = await verifyTicket(c.req.query("ticket") ?? "", ticketSecret(c.env), { room: id, now: Date.now() });
        headers.set(SEAT_HEADER, JSON.stringify(claims));
      } catch (error) {
        if (error instanceof CodedError) return errorResponse(errorBody(error.code, { detail: error.detail }));
        throw error;
      }
    }
    return roomStub(c.env, id).fetch(new Request(c.req.raw, { headers }));
  });
