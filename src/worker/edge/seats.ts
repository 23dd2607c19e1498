// Turning a room's seat reservation into the signed ticket a client connects with.
import type { Context } from "hono";
import type { SeatGrant } from "../../protocol/api.ts";
import { errorBody } from "../../protocol/errors.ts";
import { PROTOCOL_VERSION } from "../../protocol/messages.ts";
import type { Reservation } from "../room/seating.ts";
import { errorResponse, isError, randomId, ROOM_ID } from "../http.ts";
import { roomSettings } from "../settings.ts";
import { ticketSecret } from "./deployment.ts";
import { banned, identify } from "../../identity.ts";
import { identityGate, type Identity } from "./identity.ts";
import { signTicket } from "./ticket.ts";

/** Routes see the deployment's env and, behind `identified`, the verified identity as `c.get("identity")`. */
export type App = { Bindings: Env };

/** The deployment's identity hook and ban list (src/identity.ts), as the middleware every seat route mounts. */
export const identified = identityGate(identify, banned);

export const ticketTtlMs = (env: Env): number => roomSettings(env).ticketTtlMs;

export const roomStub = (env: Env, roomId: string) => env.ROOMS.getByName(roomId);

/** Room ids are checked before any Durable Object is touched, so a bad id never creates one. */
export const roomIdParam = (c: Context<App>): string | Response => {
  const id = c.req.param("id") ?? "";
  return ROOM_ID.test(id) ? id : errorResponse(errorBody("invalid_room_id"));
};

/**
 * The JSON a client gets for a seat: the ticket to open `/rooms/:id/ws?ticket=…` with, and when it expires. The
 * ticket names the user, so the room seats each user once; a guest token minted for this request rides along.
 */
export async function seatResponse(c: Context<App>, roomId: string, seat: Reservation, role: "player" | "spectator", ttlMs: number) {
  if (isError(seat)) return errorResponse(seat);
  const expiresAt = Date.now() + ttlMs;
  const claims = { v: PROTOCOL_VERSION, room: roomId, pid: seat.playerId, uid: seat.userId, team: seat.team, name: seat.name, role, exp: expiresAt, jti: randomId(16) };
  const ticket = await signTicket(claims, ticketSecret(c.env));
  // Routes without the identity middleware (a party member fetching its seat by token) mint no guest.
  const guestToken = (c.var as { identity?: Identity }).identity?.guestToken;
  const grant = { roomId, game: seat.summary.game, playerId: seat.playerId, userId: seat.userId, name: seat.name, team: seat.team, role, ticket, expiresAt };
  return c.json({ ...grant, ...(guestToken === undefined ? {} : { guestToken }) } satisfies SeatGrant);
}

/** Ask a room for a seat for the request's identity and answer with its ticket. */
export async function joinRoom(c: Context<App>, roomId: string, role: "player" | "spectator") {
  const ttl = ticketTtlMs(c.env);
  return seatResponse(c, roomId, await roomStub(c.env, roomId).reserve(seatUser(c.get("identity")), ttl, role), role, ttl);
}

/** What a room needs of an identity: who, and the name to show. */
export const seatUser = (identity: Identity): { userId: string; name: string } => ({ userId: identity.userId, name: identity.name });
