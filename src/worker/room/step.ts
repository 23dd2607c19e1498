// One step of a room: the engine advances the record, and record, replay-log row and departed players' tokens are stored in one transaction.
import { advance, loggedEntries, type LogEntry, type MatchRecord, type Outcome } from "../../engine/match.ts";
import { CodedError, errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { lagHistoryOf } from "./lag-history.ts";
import type { LiveRoom } from "./state.ts";
import type { RoomStorage } from "./storage.ts";

/** A stored step: the record it produced, how its actions ended, and how many ticks ran. */
export interface StoredStep {
  readonly record: MatchRecord;
  readonly outcomes: readonly Outcome[];
  readonly ran: number;
}

/**
 * Advance `room` by `batch` then `ticks` ticks at `time` and store the result; nothing is written (and null is
 * returned) for a step that changed nothing. `record_too_large` and `internal_error` leave storage as it was.
 */
export function storeStep(
  durable: DurableObjectStorage,
  storage: RoomStorage,
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
  try {
    durable.transactionSync(() => {
      storage.commit(room.meta, { ...step, entries: loggedEntries(batch, outcomes), ticks: ran }, record);
      for (const entry of batch) if (entry.kind === "leave") storage.dropToken(entry.player);
    });
  } catch (error) {
    if (error instanceof CodedError && error.code === "record_too_large") return errorBody("record_too_large", { detail: error.detail });
    console.error("commit failed; state unchanged", error);
    return errorBody("internal_error");
  }
  return { record, outcomes, ran };
}

/** What of a step refused at the record's budget is still stored: seat bookkeeping, without actions and joins. */
export const withoutGrowth = (batch: readonly LogEntry[]): LogEntry[] => batch.filter((entry) => entry.kind !== "act" && entry.kind !== "join");
