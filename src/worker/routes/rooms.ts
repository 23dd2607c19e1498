// HTTP routes for one room: join, spectate, info, replay, and the WebSocket upgrade (ticket or reconnect token).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { CodedError, errorBody } from "../../protocol/errors.ts";
import { framesQuery, handoffRequest, RECONNECT_TOKEN, resumeVersion, type Handoff } from "../edge/handoff.ts";
import { FRAMES_PARAM } from "../../protocol/frames.ts";
import { errorResponse, isError, jsonBody, jsonQuery } from "../http.ts";
import { playerName } from "../edge/names.ts";
import { overLimit, rateLimit } from "../edge/rate-limit.ts";
import { identified, joinRoom, roomIdParam, roomStub, type App } from "../edge/seats.ts";
import { settings } from "../settings.ts";
import { ticketSecret } from "../edge/deployment.ts";
import { verifyTicket } from "../edge/ticket.ts";

/** The name to show; a signed-in player's provider name wins over it, a guest without one is "Guest …". */
export const nameBody = z.strictObject({ name: playerName.optional() });

const replayQuery = z.strictObject({
  from: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(settings.replayPageSteps).default(settings.replayPageSteps),
});

/** Join or spectate: limited per client, then per client and room, all before the room is addressed. */
async function seat(c: Context<App>, role: "player" | "spectator") {
  const id = roomIdParam(c);
  if (id instanceof Response) return id;
  return (await overLimit(c, "seat", id)) ?? joinRoom(c, id, role);
}

export const rooms = new Hono<App>()
  .post("/api/rooms/:id/join", rateLimit("join"), jsonBody(nameBody), identified, (c) => seat(c, "player"))
  .post("/api/rooms/:id/spectate", rateLimit("join"), jsonBody(nameBody), identified, (c) => seat(c, "spectator"))
  .get("/api/rooms/:id", rateLimit("read"), async (c) => {
    const id = roomIdParam(c);
    if (id instanceof Response) return id;
    const info = await roomStub(c.env, id).info();
    return isError(info) ? errorResponse(info) : c.json(info);
  })
  // An ended match's replay, a page at a time: `?from=` is the first step (0-based), `?limit=` at most replayPageSteps.
  .get("/api/rooms/:id/replay", rateLimit("read"), jsonQuery(replayQuery), async (c) => {
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
    const frames = framesQuery(c.req.query(FRAMES_PARAM));
    if ("type" in frames) return errorResponse(frames);
    const upgrade = (handoff: Handoff) => roomStub(c.env, id).fetch(handoffRequest(id, { ...handoff, ...frames }));
    const reconnect = c.req.query("reconnect");
    if (reconnect !== undefined) {
      // Only the room knows its tokens; the Worker just refuses what cannot be one.
      if (!RECONNECT_TOKEN.test(reconnect)) return errorResponse(errorBody("reconnect_refused"));
      const resumeFrom = resumeVersion(c.req.query("version"));
      if (typeof resumeFrom === "object") return errorResponse(resumeFrom);
      const handoff = { kind: "reconnect", token: reconnect, ...(resumeFrom === undefined ? {} : { resumeFrom }) } as const;
      return upgrade(handoff);
    }
    try {
      const claims = await verifyTicket(c.req.query("ticket") ?? "", ticketSecret(c.env), { room: id, now: Date.now() });
      return upgrade({ kind: "ticket", claims });
    } catch (error) {
      if (error instanceof CodedError) return errorResponse(errorBody(error.code, { detail: error.detail }));
      throw error;
    }
  });
