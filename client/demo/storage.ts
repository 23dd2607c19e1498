// Remembers the player's name (across visits) and the seat to return to after a reload (this tab only).
import type { ResumeToken } from "../sdk/index.ts";

const NAME = "game-room.name";
const SEAT = "game-room.seat";

/** A resume token, and whose seat it holds: a reload asks the room whether that seat is still held before using it. */
export interface SavedSeat {
  readonly game: string;
  readonly roomId: string;
  readonly token: string;
  readonly playerId: string;
}

export const loadName = (): string => localStorage.getItem(NAME) ?? "";
export const saveName = (name: string): void => localStorage.setItem(NAME, name);

export function loadSeat(): SavedSeat | undefined {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(SEAT) ?? "null");
    if (typeof saved !== "object" || saved === null) return undefined;
    const { game, roomId, token, playerId } = saved as Record<string, unknown>;
    if (typeof game !== "string" || typeof roomId !== "string" || typeof token !== "string" || typeof playerId !== "string") return undefined;
    return { game, roomId, token, playerId };
  } catch {
    return undefined;
  }
}

export const saveSeat = (token: ResumeToken, playerId: string): void =>
  sessionStorage.setItem(SEAT, JSON.stringify({ game: token.game, roomId: token.roomId, token: token.token, playerId } satisfies SavedSeat));
export const forgetSeat = (): void => sessionStorage.removeItem(SEAT);
