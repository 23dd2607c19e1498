// A room's live state (its meta, its game and the current record), and how a woken room gets it back from storage.
import type { Game } from "../../engine/define-game.ts";
import { replay, type MatchRecord } from "../../engine/match.ts";
import { gameNamed } from "../../games/index.ts";
import type { RoomMeta, RoomStorage } from "./storage.ts";

export interface LiveRoom {
  readonly meta: RoomMeta;
  readonly game: Game;
  record: MatchRecord;
}

/** The last checkpoint with the steps logged after it replayed on top; undefined for a room never created. */
export function restore(storage: RoomStorage): LiveRoom | undefined {
  const loaded = storage.load();
  if (!loaded) return undefined;
  const game = gameNamed(loaded.checkpoint.game);
  // A deploy that removed the game: failing loudly beats running a room with the wrong rules.
  if (!game) throw new Error(`room ${loaded.meta.roomId} holds unknown game ${loaded.checkpoint.game}`);
  return { meta: loaded.meta, game, record: replay(game, loaded.checkpoint, loaded.steps) };
}
