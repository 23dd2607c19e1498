// HTTP side of joining: create a room, then trade a name for a seat ticket and the socket URL.
import type { CreatedRoom, OpenRoom, RoomInfo, SeatGrant } from "../../src/protocol/api.ts";
import type { ErrorBody } from "../../src/protocol/errors.ts";
import type { GameName } from "../../src/games/index.ts";
import { defaultCredentials, type Credentials } from "./credentials.ts";
import { DEFLATE_FRAMES, FRAMES_PARAM } from "../../src/protocol/frames.ts";

export interface Seat extends SeatGrant {
  /** WebSocket URL with the ticket, ready for RoomClient. */
  readonly url: string;
}

export class RequestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

/**
 * The server's origin, or the origin, the fetch to reach it with (a test's, another runtime's) and the player's
 * credentials. A bare origin uses `defaultCredentials()`: in a browser, the guest token kept in localStorage.
 */
export type Server = string | { readonly base: string; readonly fetch?: typeof fetch; readonly credentials?: Credentials };

const credentialsOf = (server: Server): Credentials | undefined => (typeof server === "string" ? defaultCredentials() : server.credentials);

async function fetchFrom(server: Server, path: string, init: RequestInit = {}): Promise<Response> {
  const token = await credentialsOf(server)?.token();
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  const request = { ...init, headers };
  return typeof server === "string" ? fetch(new URL(path, server), request) : (server.fetch ?? fetch)(new URL(path, server.base), request);
}

export const baseOf = (server: Server): string => (typeof server === "string" ? server : server.base);

/** The identity errors after which a kept guest token is dropped and the request made again, as a new guest. */
const STALE_TOKEN = new Set(["identity_invalid", "identity_expired"]);

/** The JSON answer of a route, or its typed error thrown as a RequestError. A guest token the server mints is kept. */
export async function request<T>(server: Server, path: string, init?: RequestInit, retried = false): Promise<T> {
  const response = await fetchFrom(server, path, init);
  const json = (await response.json()) as T | ErrorBody;
  const credentials = credentialsOf(server);
  if (!response.ok) {
    const error = json as ErrorBody;
    // A token from another server (or a rotated secret) would lock a guest out for good: start over as a new one.
    if (!retried && credentials?.forget && STALE_TOKEN.has(error.code)) {
      credentials.forget();
      return request(server, path, init, true);
    }
    throw new RequestError(error);
  }
  const minted = (json as { guestToken?: unknown }).guestToken;
  if (typeof minted === "string") credentials?.keep?.(minted);
  return json as T;
}

/** A GET of a route's JSON, for the SDK's other modules. */
export const getJson = <T>(server: Server, path: string): Promise<T> => request(server, path);

export const post = <T>(server: Server, path: string, body: unknown): Promise<T> =>
  request(server, path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const createRoom = (server: Server, game: GameName, options: { preset?: string; private?: boolean } = {}): Promise<CreatedRoom> =>
  post(server, "/api/rooms", { game, ...options });

/**
 * The socket URL of a room, with a ticket or a reconnect token (and the version held, to resume). It asks for
 * compressed frames (`frames=deflate`), which `RoomClient` reads; a client of its own must then inflate binary
 * messages (`frameText`), or leave the parameter out to get every message as JSON text.
 */
export function socketUrl(base: string, roomId: string, params: Record<string, string>): string {
  const url = new URL(`/rooms/${roomId}/ws`, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set(FRAMES_PARAM, DEFLATE_FRAMES);
  return url.toString();
}

export const withUrl = (server: Server, seat: SeatGrant): Seat => ({ ...seat, url: socketUrl(baseOf(server), seat.roomId, { ticket: seat.ticket }) });

/** A seat in the fullest open public room of the game, or in a new one. */
export const quickPlay = async (server: Server, game: GameName, name: string, preset?: string): Promise<Seat> =>
  withUrl(server, await post(server, "/api/matchmake", { game, name, ...(preset === undefined ? {} : { preset }) }));

export const joinRoom = async (server: Server, roomId: string, name: string): Promise<Seat> =>
  withUrl(server, await post(server, `/api/rooms/${roomId}/join`, { name }));

export const joinByCode = async (server: Server, code: string, name: string): Promise<Seat> =>
  withUrl(server, await post(server, `/api/private/${encodeURIComponent(code)}/join`, { name }));

export const spectate = async (server: Server, roomId: string, name: string): Promise<Seat> =>
  withUrl(server, await post(server, `/api/rooms/${roomId}/spectate`, { name }));

/** Public rooms of a game that still have seats. */
export const listRooms = async (server: Server, game: GameName): Promise<readonly OpenRoom[]> =>
  (await request<{ rooms: readonly OpenRoom[] }>(server, `/api/rooms?game=${encodeURIComponent(game)}`)).rooms;

/** A room's summary and seats (`GET /api/rooms/:id`): whether a seat is still held, say. */
export const roomInfo = (server: Server, roomId: string): Promise<RoomInfo> => request(server, `/api/rooms/${encodeURIComponent(roomId)}`);
