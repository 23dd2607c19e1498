// HTTP routes for parties: make one, join it by code, the leader queues it, members fetch their seats (docs/http-api.md, "Parties").
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { PartyPass, PartyState } from "../../protocol/api.ts";
import { errorBody } from "../../protocol/errors.ts";
import { gameNamed } from "../../games/index.ts";
import { CODE, randomCode } from "../edge/codes.ts";
import { rateLimit } from "../edge/rate-limit.ts";
import { identified, seatResponse, ticketTtlMs, type App } from "../edge/seats.ts";
import { errorResponse, isError, jsonBody } from "../http.ts";
import { quickPlay } from "../matchmaker/shards.ts";
import { regionOfRequest, seekerOf } from "../edge/requester.ts";
import { nameBody } from "./rooms.ts";

const createBody = z.strictObject({ game: z.string().min(1).max(64), preset: z.string().min(1).max(64).default("default"), name: nameBody.shape.name });
const tokenBody = z.strictObject({ token: z.string().regex(/^[a-km-np-z2-9]{24}$/) });

const partyStub = (env: Env, code: string) => env.PARTIES.getByName(`party:${code}`);

/** The party code from the path, upper-cased, or the typed refusal of a malformed one. */
const codeParam = (c: Context<App>): string | Response => {
  const code = (c.req.param("code") ?? "").toUpperCase();
  return CODE.test(code) ? code : errorResponse(errorBody("invalid_code"));
};

const pass = (code: string, joined: { memberId: string; token: string; game: string; preset: string }): PartyPass => ({ code, ...joined });

export const parties = new Hono<App>()
  .post("/api/parties", rateLimit("create"), jsonBody(createBody), identified, async (c) => {
    const { game, preset } = c.req.valid("json");
    const definition = gameNamed(game);
    if (!definition) return errorResponse(errorBody("unknown_game"));
    if (!Object.hasOwn(definition.presets, preset)) return errorResponse(errorBody("unknown_preset"));
    // A code already in use is drawn again; 31^6 codes make a second clash vanishingly rare.
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = randomCode();
      const created = await partyStub(c.env, code).create(game, preset, seekerOf(c));
      if ("exists" in created) continue;
      return isError(created) ? errorResponse(created) : c.json(pass(code, created), 201);
    }
    return errorResponse(errorBody("internal_error", { detail: "no free party code" }));
  })
  // Guessing party codes is limited like guessing private-room codes.
  .post("/api/parties/:code/join", rateLimit("code"), jsonBody(nameBody), identified, async (c) => {
    const code = codeParam(c);
    if (code instanceof Response) return code;
    const joined = await partyStub(c.env, code).join(seekerOf(c));
    return isError(joined) ? errorResponse(joined) : c.json(pass(code, joined));
  })
  // The leader queues the whole party: one quick play seats every member in one room, on one team where it fits.
  .post("/api/parties/:code/queue", rateLimit("matchmake"), jsonBody(tokenBody), identified, async (c) => {
    const code = codeParam(c);
    if (code instanceof Response) return code;
    const { token } = c.req.valid("json");
    const party = partyStub(c.env, code);
    const queued = await party.begin(token);
    if (isError(queued)) return errorResponse(queued);
    const definition = gameNamed(queued.game);
    const config = definition?.presets[queued.preset];
    if (definition && config !== undefined && queued.seekers.length > definition.maxPlayers(config)) {
      await party.placed(null);
      return errorResponse(errorBody("party_too_large"));
    }
    const ttl = ticketTtlMs(c.env);
    const placed = await quickPlay(c.env, { game: queued.game, preset: queued.preset, region: regionOfRequest(c), seekers: queued.seekers, ttlMs: ttl });
    await party.placed(isError(placed) ? null : placed);
    if (isError(placed)) return errorResponse(placed);
    return stateResponse(c, code, token);
  })
  .post("/api/parties/:code/state", rateLimit("read"), jsonBody(tokenBody), async (c) => {
    const code = codeParam(c);
    return code instanceof Response ? code : stateResponse(c, code, c.req.valid("json").token);
  });

/** The party as this member sees it, with a freshly signed ticket for the member's seat once the party is placed. */
async function stateResponse(c: Context<App>, code: string, token: string): Promise<Response> {
  const ttl = ticketTtlMs(c.env);
  const look = await partyStub(c.env, code).look(token, ttl);
  if (isError(look)) return errorResponse(look);
  const state: PartyState = { code, game: look.game, preset: look.preset, members: look.members, status: look.status };
  if (!look.seat) return c.json(state);
  const granted = await seatResponse(c, look.seat.roomId, { ok: true, ...look.seat.seat, summary: look.seat.summary }, "player", ttl);
  return c.json({ ...state, seat: await granted.json() } satisfies PartyState);
}
