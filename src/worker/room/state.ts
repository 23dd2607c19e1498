// A room's live state (its meta, its game and the current record), and how a woken room gets it back from storage.
import type { Game } from "../../engine/define-game.ts";
import { advance, frozen, isEnded, type MatchRecord, type Step } from "../../engine/match.ts";
import { gameNamed } from "../../games/index.ts";
import { resumeSkip } from "./storage/journal.ts";
import { ticks } from "./lifecycle.ts";
import { withinBudget, type RoomMeta, type RoomStorage } from "./storage/storage.ts";

export interface LiveRoom {
  readonly meta: RoomMeta;
  readonly game: Game;
  record: MatchRecord;
}

/**
 * The room as it was stored: its checkpoint, and the steps stored after it run again through `advance` (ticks are
 * deterministic, so the record is exactly the one those steps produced live), but only under the game version
 * that ran them. Under another version the checkpoint alone is carried over (migrated, or its match ended as
 * incompatible), so new code never re-runs old inputs; the steps after it are dropped. `changed` is set then
 * (and `ended` when the match ended): the room stores it before anything else happens. `resumed` is set when the
 * instance died while the match ticked, so it may have sent steps it had not stored.
 */
export function restore(storage: RoomStorage, now: number): { room: LiveRoom; changed: boolean; ended: boolean; resumed: boolean } | undefined {
  const loaded = storage.load();
  if (!loaded) return undefined;
  const { checkpoint, steps } = loaded;
  const game = gameNamed(checkpoint.game);
  // A deploy that removed the game: failing loudly beats running a room with the wrong rules.
  if (!game) throw new Error(`room ${loaded.meta.roomId} holds unknown game ${checkpoint.game}`);
  const sameRules = checkpoint.gameVersion === game.version && Object.hasOwn(game.presets, checkpoint.preset);
  const stored = sameRules ? replayed(game, checkpoint, steps) : checkpoint;
  const resumed = ticks(game, stored);
  // Versions the dropped steps (and any unstored ones after them) may have been sent with: the carried-over record goes past them.
  const sent = sameRules ? stored : { ...stored, version: stored.version + versionsIn(steps) + (resumed ? resumeSkip() : 0) };
  const record = sameRules ? stored : underVersion(game, sent, now);
  return { room: { meta: loaded.meta, game, record }, changed: !sameRules, ended: isEnded(record) && !isEnded(stored), resumed: resumed && sameRules };
}

/** The checkpoint advanced by the steps stored after it; a step that does not follow (a damaged row) stops it, loudly. */
function replayed(game: Game, checkpoint: MatchRecord, steps: readonly Step[]): MatchRecord {
  let record = checkpoint;
  for (const step of steps) {
    if (step.tick !== record.tick) {
      console.error(`stored step at tick ${step.tick} does not follow tick ${record.tick}; the room resumes before it`);
      break;
    }
    record = advance(game, record, step).record;
  }
  return record;
}

/** An upper bound of the versions `steps` took: one per tick, one per batch of entries, and every resume's jump. */
const versionsIn = (steps: readonly Step[]): number =>
  steps.reduce((sum, step) => sum + step.ticks + (step.entries.length > 0 ? 1 : 0) + step.entries.reduce((skip, entry) => skip + (entry.kind === "resume" ? entry.skip : 0), 0), 0);

/**
 * The record carried over to the game's current version: migrated, or its match ended as incompatible. Either
 * is a change clients have not seen, so it takes a version of its own: a client resuming from the old version
 * is sent what changed instead of being told it is up to date.
 */
function underVersion(game: Game, record: MatchRecord, now: number): MatchRecord {
  const presetKept = Object.hasOwn(game.presets, record.preset);
  if (isEnded(record)) return { ...record, gameVersion: game.version };
  let state: unknown = null;
  try {
    state = presetKept ? game.migrate(record.state, record.gameVersion) : null;
  } catch (error) {
    console.error(`game ${game.name}: migrate from version ${record.gameVersion} threw`, error);
  }
  const version = record.version + 1;
  const migrated: MatchRecord | null = state === null ? null : { ...record, version, gameVersion: game.version, state: frozen(state) };
  // A migrated record that cannot be stored would fail every wake: the match ends over the budget instead.
  if (migrated && withinBudget(migrated)) return migrated;
  if (migrated) {
    console.log(`game ${game.name}: the match migrated from version ${record.gameVersion} outgrows maxRecordBytes; it ends (limit)`);
    return { ...record, version, gameVersion: game.version, result: null, endedAt: now, endReason: "limit" };
  }
  console.log(`game ${game.name}: a match saved by version ${record.gameVersion} cannot run under version ${game.version}; it ends as incompatible`);
  return { ...record, version, gameVersion: game.version, result: null, endedAt: now, endReason: "incompatible" };
}
