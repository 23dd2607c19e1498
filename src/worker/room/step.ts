// One step of a room: the engine advances the record, and the journal stores it with the steps before it (one transaction) when they are due.
import { advance, isEnded, loggedEntries, type LogEntry, type MatchRecord, type Outcome, type Step } from "../../engine/match.ts";
import { jsonLength, jsonLengthBound } from "../../engine/json-length.ts";
import { CodedError, errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { lagHistoryOf } from "./lag-history.ts";
import type { Journal } from "./storage/journal.ts";
import type { LiveRoom } from "./state.ts";
import { withinBudget, type RoomStorage } from "./storage/storage.ts";

/** A step run: the record it produced, the answers that may be sent now, and how many ticks ran. */
export interface StoredStep {
  readonly record: MatchRecord;
  /** This step's refused actions, and the acks of every action whose step is now stored. */
  readonly outcomes: readonly Outcome[];
  readonly ran: number;
}

/**
 * Advance `room` by `batch` then `ticks` ticks at `time`; the step joins the journal, which is stored when due
 * (a seat change at once, ticks in batches). Null for a step that changed nothing. `record_too_large` and
 * `internal_error` leave the room as it was.
 */
export function storeStep(
  durable: DurableObjectStorage,
  storage: RoomStorage,
  journal: Journal,
  room: LiveRoom,
  batch: readonly LogEntry[],
  ticks: number,
  time: number,
): StoredStep | null | ErrorBody {
  if (batch.length === 0 && ticks === 0) return null;
  const before = room.record;
  const step = { tick: before.tick, time, entries: batch, ticks };
  const { record, outcomes, tickError } = advance(room.game, before, step, lagHistoryOf(room));
  if (tickError) console.error("tick threw; skipped", tickError);
  const ran = record.tick - before.tick;
  if (batch.length === 0 && ran === 0) return null;
  // The budget holds for every step, stored or not, so a batch never holds a record that could not be checkpointed.
  const length = recordLength(record);
  if (!withinBudget(record, length)) return errorBody("record_too_large", { detail: `match record would be ${length} bytes` });
  const logged = { ...step, entries: loggedEntries(batch, outcomes), ticks: ran };
  const acks = outcomes.filter((outcome) => outcome.error === undefined);
  const refused = outcomes.filter((outcome) => outcome.error !== undefined);
  journal.add(logged, acks);
  if (!journal.due(room.game, record, logged)) return { record, outcomes: refused, ran };
  const taken = journal.take();
  try {
    durable.transactionSync(() => {
      storage.flush(room.meta, taken.steps, record, checkpointNow(room, record, logged));
      for (const entry of batch) if (entry.kind === "leave") storage.dropToken(entry.player);
    });
  } catch (error) {
    journal.putBack(taken);
    journal.dropLast(acks.length);
    if (error instanceof CodedError && error.code === "record_too_large") return errorBody("record_too_large", { detail: error.detail });
    console.error("commit failed; state unchanged", error);
    return errorBody("internal_error");
  }
  journal.stored = record.seqs;
  return { record, outcomes: [...refused, ...taken.acks], ran };
}

/**
 * The record's JSON length as far as its budget needs it, after every step: a bound that writes no number while the
 * record is well within it, and the exact length (whose unchanged large parts are measured once) only past it.
 */
function recordLength(record: MatchRecord): number {
  const bound = jsonLengthBound(record);
  return withinBudget(record, bound) ? bound : jsonLength(record);
}

/**
 * A code change resumes from the checkpoint alone (the steps after it are not run through new rules), so every
 * step of a turn-based game, every seat change and every end is checkpointed: a code change then loses at most
 * the ticks and realtime inputs of the last `checkpointRows` batches, never a seat or a move.
 */
const checkpointNow = (room: LiveRoom, record: MatchRecord, last: Step): boolean =>
  room.game.tickHz === 0 || isEnded(record) || last.entries.some((entry) => entry.kind !== "act" && entry.kind !== "failed");

/** What of a step refused at the record's budget is still stored: seat bookkeeping, without actions and joins. */
export const withoutGrowth = (batch: readonly LogEntry[]): LogEntry[] => batch.filter((entry) => entry.kind !== "act" && entry.kind !== "join");
