// HTTP side of joining: create a room, then trade a name for a seat ticket and the socket URL.
import type { CreatedRoom, OpenRoom, RoomInfo, SeatGrant } from "../../src/protocol/api.ts";
import type { ErrorBody } from "../../src/protocol/errors.ts";
import type { GameName } from "../../src/games/index.ts";

export interface Seat extends SeatGrant {
  /** WebSocket URL with the ticket, ready for RoomClient. */
  readonly url: string;
}

export class RequestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

/** The server's origin, or the origin and the fetch to reach it with (a test's, another runtime's). */
export type Server = string | { readonly base: string; readonly fetch?: typeof fetch };

const fetchFrom = (server: Server, path: string, init?: RequestInit): Promise<Response> =>
  typeof server === "string" ? fetch(new URL(path, server), init) : (server.fetch ?? fetch)(new URL(path, server.base), init);

export const baseOf = (server: Server): string => (typeof server === "string" ? server : server.base);

/** The JSON answer of a route, or its typed error thrown as a RequestError. */
export async function request<T>(server: Server, path: string, init?: RequestInit): Promise<T> {
  const response = await fetchFrom(server, path, init);
  const json = (await response.json()) as T | ErrorBody;
  if (!response.ok) throw new RequestError(json as ErrorBody);
  return json as T;
}

export const post = <T>(server: Server, path: string, body: unknown): Promise<T> =>
  request(server, path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const createRoom = (server: Server, game: GameName, options: { preset?: string; private?: boolean } = {}): Promise<CreatedRoom> =>
  post(server, "/api/rooms", { game, ...options });

/** The socket URL of a room, with a ticket or a reconnect token (and the version held, to resume). */
export function socketUrl(base: string, roomId: string, params: Record<string, string>): string {
  const url = new URL(`/rooms/${roomId}/ws`, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
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
