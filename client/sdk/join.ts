// HTTP side of joining: create a room, then trade a name for a seat ticket and the socket URL.
import type { ErrorBody } from "../../src/engine/errors.ts";

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

export const createRoom = (base: string, game: string, preset?: string): Promise<{ roomId: string }> =>
  post(base, "/api/rooms", preset === undefined ? { game } : { game, preset });

export async function joinRoom(base: string, roomId: string, name: string): Promise<Seat> {
  const seat = await post<Omit<Seat, "url">>(base, `/api/rooms/${roomId}/join`, { name });
  const url = new URL(`/rooms/${roomId}/ws`, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("ticket", seat.ticket);
  return { ...seat, url: url.toString() };
}
