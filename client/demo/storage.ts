// Remembers the player's name (across visits) and the seat to return to after a reload (this tab only).
import type { ResumeToken } from "../sdk/index.ts";
import { type DemoGame, isDemoGame } from "./games.ts";

const NAME = "game-room.name";
const SEAT = "game-room.seat";

/** A resume token for one of the demo's games. */
export interface SavedSeat extends ResumeToken {
  readonly game: DemoGame;
}

export const loadName = (): string => localStorage.getItem(NAME) ?? "";
export const saveName = (name: string): void => localStorage.setItem(NAME, name);

export function loadSeat(): SavedSeat | undefined {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(SEAT) ?? "null");
    if (typeof saved !== "object" || saved === null) return undefined;
    const { game, roomId, token } = saved as Record<string, unknown>;
    if (!isDemoGame(game) || typeof roomId !== "string" || typeof token !== "string") return undefined;
    return { game, roomId, token };
  } catch {
    return undefined;
  }
}

export const saveSeat = (seat: SavedSeat): void => sessionStorage.setItem(SEAT, JSON.stringify(seat));
export const forgetSeat = (): void => sessionStorage.removeItem(SEAT);
