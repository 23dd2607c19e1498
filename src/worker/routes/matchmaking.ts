// HTTP routes for finding rooms: quick play, creating public or private rooms, join codes, listing.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import type { CreatedRoom, OpenRoom, RoomPage } from "../../protocol/api.ts";
import { errorBody } from "../../protocol/errors.ts";
import { gameNamed } from "../../games/index.ts";
import { CODE, randomCode, roomIdForCode } from "../edge/codes.ts";
import { errorResponse, isError, jsonBody } from "../http.ts";
import { listRegion, LIST_CURSOR, openRoom, quickPlay } from "../matchmaker/shards.ts";
import { isRegion } from "../matchmaker/regions.ts";
import { regionOfRequest, seekerOf } from "../edge/requester.ts";
import { nameBody } from "./rooms.ts";
import { overLimit, rateLimit } from "../edge/rate-limit.ts";
import { identified, joinRoom, roomStub, seatResponse, ticketTtlMs, type App } from "../edge/seats.ts";
import { ticketSecret } from "../edge/deployment.ts";
import { settings } from "../settings.ts";

const gameField = z.string().min(1).max(64);
const presetField = z.string().min(1).max(64).default("default");

const createBody = z.strictObject({ game: gameField, preset: presetField, private: z.boolean().default(false) });
const matchmakeBody = z.strictObject({ game: gameField, preset: presetField, name: nameBody.shape.name });
const listQuery = z.strictObject({
  game: gameField,
  /** The region to list; the caller's own by default. */
  region: z.string().max(16).optional(),
  /** The `next` of the previous page. */
  cursor: z.string().regex(LIST_CURSOR).optional(),
  limit: z.coerce.number().int().min(1).max(settings.maxListPageSize).default(settings.listPageSize),
});

/** A game and preset that exist, or the error saying which does not. */
const checkGame = (game: string, preset: string) => {
  const definition = gameNamed(game);
  if (!definition) return errorResponse(errorBody("unknown_game"));
  if (!Object.hasOwn(definition.presets, preset)) return errorResponse(errorBody("unknown_preset"));
  return undefined;
};

/** Private rooms live at the id their code maps to; a code already in use is drawn again. */
async function createPrivateRoom(env: Env, game: string, preset: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = randomCode();
    const roomId = await roomIdForCode(code, ticketSecret(env));
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const created = await roomStub(env, roomId).create({ roomId, game, preset, seed, listed: false });
    if (isError(created)) return created;
    if (!created.existed) return { roomId, code };
  }
  return errorBody("internal_error", { detail: "no free join code" });
}

export const matchmaking = new Hono<App>()
  .post("/api/matchmake", rateLimit("matchmake"), jsonBody(matchmakeBody), identified, async (c) => {
    const { game, preset } = c.req.valid("json");
    const invalid = checkGame(game, preset);
    if (invalid) return invalid;
    const ttl = ticketTtlMs(c.env);
    const placed = await quickPlay(c.env, { game, preset, region: regionOfRequest(c), seekers: [seekerOf(c)], ttlMs: ttl });
    if (isError(placed)) return errorResponse(placed);
    const [seat] = placed.seats;
    if (!seat) return errorResponse(errorBody("internal_error"));
    return seatResponse(c, placed.roomId, { ok: true, ...seat, summary: placed.summary }, "player", ttl);
  })
  .post("/api/rooms", rateLimit("create"), jsonBody(createBody), async (c) => {
    const { game, preset } = c.req.valid("json");
    const invalid = checkGame(game, preset);
    if (invalid) return invalid;
    const created = c.req.valid("json").private ? await createPrivateRoom(c.env, game, preset) : await openRoom(c.env, game, preset, regionOfRequest(c));
    return isError(created) ? errorResponse(created) : c.json({ ...created, game, preset } satisfies CreatedRoom, 201);
  })
  .get("/api/rooms", rateLimit("read"), zValidator("query", listQuery, (r) => (r.success ? undefined : errorResponse(errorBody("invalid_request", { detail: r.error.issues[0]?.message })))), async (c) => {
    const { game, region, cursor, limit } = c.req.valid("query");
    if (!gameNamed(game)) return errorResponse(errorBody("unknown_game"));
    if (region !== undefined && !isRegion(region)) return errorResponse(errorBody("invalid_region"));
    const page = await listRegion(c.env, game, region ?? regionOfRequest(c), cursor, limit);
    const rooms = page.rooms.map(({ roomId, preset, seated, capacity, phase }): OpenRoom => ({ roomId, preset, players: seated, capacity, phase }));
    return c.json({ rooms, ...(page.next === undefined ? {} : { next: page.next }) } satisfies RoomPage);
  })
  // Guessing codes is limited per client before any HMAC or room; the room a code names is then limited per client like a join.
  .post("/api/private/:code/join", rateLimit("code"), jsonBody(nameBody), identified, async (c) => {
    const code = c.req.param("code").toUpperCase();
    if (!CODE.test(code)) return errorResponse(errorBody("invalid_code"));
    const roomId = await roomIdForCode(code, ticketSecret(c.env));
    return (await overLimit(c, "seat", roomId)) ?? joinRoom(c, roomId, "player");
  });

