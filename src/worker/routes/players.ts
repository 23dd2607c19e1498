// HTTP routes about players: who am I, a player's match history, a game's leaderboard, and replays kept in D1.
import { Hono } from "hono";
import { z } from "zod";
import type { IdentityAnswer } from "../../protocol/api.ts";
import { errorBody } from "../../protocol/errors.ts";
import { gameNamed } from "../../games/index.ts";
import { userId } from "../edge/identity.ts";
import { rateLimit } from "../edge/rate-limit.ts";
import { identified, type App } from "../edge/seats.ts";
import { errorResponse, jsonBody, jsonQuery, ROOM_ID } from "../http.ts";
import { HISTORY_CURSOR, history, leaderboard, LEADERBOARD_CURSOR, storedReplay } from "../results/read.ts";
import { settings } from "../settings.ts";
import { nameBody } from "./rooms.ts";

const limit = z.coerce.number().int().min(1).max(settings.maxResultsPageSize).default(settings.resultsPageSize);
const historyQuery = z.strictObject({ cursor: z.string().regex(HISTORY_CURSOR).optional(), limit });
const leaderboardQuery = z.strictObject({ game: z.string().min(1).max(64), cursor: z.string().regex(LEADERBOARD_CURSOR).optional(), limit });

// Results are public once a match has ended (the room's result message said the same to everyone in it), so these
// routes need no identity; a match still being played is not in D1 at all.
export const players = new Hono<App>()
  .post("/api/identity", rateLimit("join"), jsonBody(nameBody), identified, (c) => {
    const { userId: id, name, verified, guestToken } = c.get("identity");
    return c.json({ userId: id, name, verified, ...(guestToken === undefined ? {} : { guestToken }) } satisfies IdentityAnswer);
  })
  .get("/api/players/:id/matches", rateLimit("read"), jsonQuery(historyQuery), async (c) => {
    const id = userId.safeParse(c.req.param("id"));
    if (!id.success) return errorResponse(errorBody("invalid_request", { detail: "not a user id" }));
    const { cursor, limit: size } = c.req.valid("query");
    return c.json(await history(c.env.DB, id.data, cursor, size));
  })
  .get("/api/leaderboard", rateLimit("read"), jsonQuery(leaderboardQuery), async (c) => {
    const { game, cursor, limit: size } = c.req.valid("query");
    if (!gameNamed(game)) return errorResponse(errorBody("unknown_game"));
    return c.json(await leaderboard(c.env.DB, game, cursor, size));
  })
  .get("/api/matches/:id/replay", rateLimit("read"), async (c) => {
    const id = c.req.param("id");
    if (!ROOM_ID.test(id)) return errorResponse(errorBody("invalid_room_id"));
    const replay = await storedReplay(c.env.DB, id);
    return replay === null ? errorResponse(errorBody("replay_unavailable")) : c.body(replay, 200, { "content-type": "application/json" });
  });
