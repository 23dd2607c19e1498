// HTTP routes for rooms: create, join (ticket), inspect, and the WebSocket upgrade.
import { zValidator } from "@hono/zod-validator";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { errorBody, type ErrorBody, CodedError } from "../engine/errors.ts";
import { gameNamed } from "../games/index.ts";
import { SEAT_HEADER } from "./game-room.ts";
import { errorResponse, randomId, ROOM_ID } from "./http.ts";
import { settings } from "./settings.ts";
import { signTicket, ticketSecret, verifyTicket } from "./ticket.ts";

type App = { Bindings: Env };

/** Validate a JSON body with the schema that also types the handler; refusals use the one error shape. */
const jsonBody = <Schema extends z.ZodType>(schema: Schema) =>
  zValidator("json", schema, (result) =>
    result.success ? undefined : errorResponse(errorBody("invalid_request", { detail: result.error.issues[0]?.message })),
  );

const createBody = z.strictObject({ game: z.string().max(64), preset: z.string().max(64).default("default") });
const joinBody = z.strictObject({ name: z.string().trim().min(1).max(settings.maxNameLength) });

const roomStub = (c: Context<App>, id: string) => c.env.ROOMS.getByName(id);

/** Room ids are checked before any Durable Object is touched, so a bad id never creates one. */
const roomId = (c: Context<App>): string | Response => {
  const id = c.req.param("id") ?? "";
  return ROOM_ID.test(id) ? id : errorResponse(errorBody("invalid_room_id"));
};

const ttlMs = (env: Env): number => 1000 * (Number(env.TICKET_TTL_SECONDS) || settings.ticketTtlSeconds);

const isError = (value: object): value is ErrorBody => (value as ErrorBody).type === "error";

export const rooms = new Hono<App>()
  .post("/api/rooms", jsonBody(createBody), async (c) => {
    const { game, preset } = c.req.valid("json");
    const definition = gameNamed(game);
    if (!definition) return errorResponse(errorBody("unknown_game"));
    if (!Object.hasOwn(definition.presets, preset)) return errorResponse(errorBody("unknown_preset"));
    const id = randomId(12);
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const created = await roomStub(c, id).create({ roomId: id, game, preset, seed });
    if (isError(created)) return errorResponse(created);
    return c.json({ roomId: id, game, preset }, 201);
  })
  .post("/api/rooms/:id/join", jsonBody(joinBody), async (c) => {
    const id = roomId(c);
    if (id instanceof Response) return id;
    const ttl = ttlMs(c.env);
    const seat = await roomStub(c, id).reserve(c.req.valid("json").name, ttl);
    if (isError(seat)) return errorResponse(seat);
    const expiresAt = Date.now() + ttl;
    const claims = { v: 1 as const, room: id, pid: seat.playerId, team: seat.team, name: seat.name, exp: expiresAt, jti: randomId(16) };
    const ticket = await signTicket(claims, ticketSecret(c.env));
    return c.json({ roomId: id, playerId: seat.playerId, team: seat.team, ticket, expiresAt });
  })
  .get("/api/rooms/:id", async (c) => {
    const id = roomId(c);
    if (id instanceof Response) return id;
    const info = await roomStub(c, id).info();
    return isError(info) ? errorResponse(info) : c.json(info);
  })
  .get("/rooms/:id/ws", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return errorResponse(errorBody("upgrade_required"));
    const id = roomId(c);
    if (id instanceof Response) return id;
    try {
      const claims = await verifyTicket(c.req.query("ticket") ?? "", ticketSecret(c.env), { room: id, now: Date.now() });
      const headers = new Headers(c.req.raw.headers);
      headers.set(SEAT_HEADER, JSON.stringify(claims));
      return await roomStub(c, id).fetch(new Request(c.req.raw, { headers }));
    } catch (error) {
      if (error instanceof CodedError) return errorResponse(errorBody(error.code, { detail: error.detail }));
      throw error;
    }
  });
