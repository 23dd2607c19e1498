// A room's live state (its meta, its game and the current record), and how a woken room gets it back from storage.
import { freeze } from "immer";
import type { Game } from "../../engine/define-game.ts";
import { isEnded, type MatchRecord } from "../../engine/match.ts";
import { gameNamed } from "../../games/index.ts";
import { withinBudget, type RoomMeta, type RoomStorage } from "./storage.ts";

export interface LiveRoom {
  readonly meta: RoomMeta;
  readonly game: Game;
  record: MatchRecord;
}

/**
 * The stored record, exactly as its clients last saw it: no input is replayed, so new code never re-runs
 * old inputs. `changed` is set when the record was written by another version of the game and had to be
 * migrated (or its match ended as incompatible: then `ended` is set too); the room stores it before anything else happens.
 */
export function restore(storage: RoomStorage, now: number): { room: LiveRoom; changed: boolean; ended: boolean } | undefined {
  const loaded = storage.load();
  if (!loaded) return undefined;
  const game = gameNamed(loaded.record.game);
  // A deploy that removed the game: failing loudly beats running a room with the wrong rules.
  if (!game) throw new Error(`room ${loaded.meta.roomId} holds unknown game ${loaded.record.game}`);
  const record = underVersion(game, loaded.record, now);
  return { room: { meta: loaded.meta, game, record }, changed: record !== loaded.record, ended: isEnded(record) && !isEnded(loaded.record) };
}

/**
 * The record carried over to the game's current version: migrated, or its match ended as incompatible. Either
 * is a change clients have not seen, so it takes a version of its own: a client resuming from the old version
 * is sent what changed instead of being told it is up to date.
 */
function underVersion(game: Game, record: MatchRecord, now: number): MatchRecord {
  const presetKept = Object.hasOwn(game.presets, record.preset);
  if (record.gameVersion === game.version && presetKept) return record;
  if (isEnded(record)) return { ...record, gameVersion: game.version };
  let state: unknown = null;
  try {
    state = presetKept ? game.migrate(record.state, record.gameVersion) : null;
  } catch (error) {
    console.error(`game ${game.name}: migrate from version ${record.gameVersion} threw`, error);
  }
  const version = record.version + 1;
  const migrated: MatchRecord | null = state === null ? null : { ...record, version, gameVersion: game.version, state: freeze(state, true) };
  // A migrated record that cannot be stored would fail every wake: the match ends over the budget instead.
  if (migrated && withinBudget(migrated)) return migrated;
  if (migrated) {
    console.log(`game ${game.name}: the match migrated from version ${record.gameVersion} outgrows maxRecordBytes; it ends (limit)`);
    return { ...record, version, gameVersion: game.version, result: null, endedAt: now, endReason: "limit" };
  }
  console.log(`game ${game.name}: a match saved by version ${record.gameVersion} cannot run under version ${game.version}; it ends as incompatible`);
  return { ...record, version, gameVersion: game.version, result: null, endedAt: now, endReason: "incompatible" };
}
