// The room's SQLite tables: a checkpoint of the match record plus the log of steps taken since.
import { freeze } from "immer";
import type { LogEntry, MatchRecord, Step } from "../engine/match.ts";
import { settings } from "./settings.ts";

interface CheckpointRow extends Record<string, SqlStorageValue> {
  room: string;
  record: string;
  step: number;
}

interface StepRow extends Record<string, SqlStorageValue> {
  n: number;
  at: number;
  ticks: number;
  entries: string;
}

export interface Loaded {
  readonly roomId: string;
  readonly checkpoint: MatchRecord;
  readonly steps: Step[];
}

/** Thin typed access to the tables; counts the rows it writes so the room can report its cost. */
export class RoomStorage {
  #sql: SqlStorage;
  #lastStep = 0;
  #checkpointStep = 0;
  rowsWritten = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    // Row 0 is the record the match started from (kept for replays), row 1 the latest checkpoint.
    sql.exec(`CREATE TABLE IF NOT EXISTS checkpoint (
      id INTEGER PRIMARY KEY CHECK (id IN (0, 1)), room TEXT NOT NULL, record TEXT NOT NULL, step INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS steps (
      n INTEGER PRIMARY KEY, at INTEGER NOT NULL, ticks INTEGER NOT NULL, entries TEXT NOT NULL)`);
  }

  load(): Loaded | undefined {
    const [row] = this.#sql.exec<CheckpointRow>("SELECT room, record, step FROM checkpoint WHERE id = 1").toArray();
    if (!row) return undefined;
    const checkpoint = freeze(JSON.parse(row.record) as MatchRecord, true);
    const steps = this.#sql
      .exec<StepRow>("SELECT n, at, ticks, entries FROM steps WHERE n > ? ORDER BY n", row.step)
      .toArray()
      .map((s) => ({ at: s.at, ticks: s.ticks, entries: freeze(JSON.parse(s.entries) as LogEntry[], true) }));
    this.#checkpointStep = row.step;
    this.#lastStep = row.step + steps.length;
    return { roomId: row.room, checkpoint, steps };
  }

  create(roomId: string, record: MatchRecord): void {
    const text = serialize(record);
    this.#write("INSERT INTO checkpoint (id, room, record, step) VALUES (0, ?, ?, 0), (1, ?, ?, 0)", roomId, text, roomId, text);
  }

  /**
   * Append a step and, when one is due, a checkpoint of the record it produced. Call inside a
   * transaction: the counters move only once every write has succeeded.
   */
  append(roomId: string, step: Step, record: MatchRecord): void {
    const n = this.#lastStep + 1;
    this.#write("INSERT INTO steps (n, at, ticks, entries) VALUES (?, ?, ?, ?)", n, step.at, step.ticks, JSON.stringify(step.entries));
    if (n - this.#checkpointStep >= settings.checkpointEverySteps) {
      this.#write("INSERT OR REPLACE INTO checkpoint (id, room, record, step) VALUES (1, ?, ?, ?)", roomId, serialize(record), n);
      this.#checkpointStep = n;
    }
    this.#lastStep = n;
  }

  #write(query: string, ...bindings: SqlStorageValue[]): void {
    this.rowsWritten += this.#sql.exec(query, ...bindings).rowsWritten;
  }
}

function serialize(record: MatchRecord): string {
  const text = JSON.stringify(record);
  // Refusing here fails the step that grew the state, inside its transaction, so nothing is half-written.
  if (text.length > settings.maxRecordBytes) throw new Error(`match record is ${text.length} bytes, over the budget`);
  return text;
}
