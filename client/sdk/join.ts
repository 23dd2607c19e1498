// HTTP side of joining: create a room, then trade a name for a seat ticket and the socket URL.
import type { ErrorBody } from "../../src/engine/errors.ts";
import type { GameName } from "../../src/games/index.ts";

export interface Seat {
  readonly roomId: string;
  readonly playerId: string;
  readonly team: string;
  readonly ticket: string;
  readonly expiresAt: number;
  /** WebSocket URL with the ticket, ready for RoomClient. */
  readonly url: string;
}

export class RequestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(new URL(path, base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as T | ErrorBody;
  if (!response.ok) throw new RequestError(json as ErrorBody);
  return json as T;
}

export const createRoom = (base: string, game: GameName, options: { preset?: string; private?: boolean } = {}): Promise<{ roomId: string; code?: string }> =>
  post(base, "/api/rooms", { game, ...options });

/** The socket URL a ticket opens. */
function withUrl(base: string, seat: Omit<Seat, "url">): Seat {
  const url = new URL(`/rooms/${seat.roomId}/ws`, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("ticket", seat.ticket);
  return { ...seat, url: url.toString() };
}

/** A seat in the fullest open public room of the game, or in a new one. */
export const quickPlay = async (base: string, game: GameName, name: string, preset?: string): Promise<Seat> =>
  withUrl(base, await post(base, "/api/matchmake", { game, name, ...(preset === undefined ? {} : { preset }) }));

export const joinRoom = async (base: string, roomId: string, name: string): Promise<Seat> =>
  withUrl(base, await post(base, `/api/rooms/${roomId}/join`, { name }));

export const joinByCode = async (base: string, code: string, name: string): Promise<Seat> =>
  withUrl(base, await post(base, `/api/private/${encodeURIComponent(code)}/join`, { name }));

export const spectate = async (base: string, roomId: string, name: string): Promise<Seat> =>
  withUrl(base, await post(base, `/api/rooms/${roomId}/spectate`, { name }));
