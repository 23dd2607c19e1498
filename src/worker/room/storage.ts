// The room's SQLite tables: metadata, a checkpoint plus the step log, used tickets and reconnect tokens.
import { freeze } from "immer";
import type { LogEntry, MatchRecord, Step } from "../../engine/match.ts";
import { settings } from "../settings.ts";

/** What a room is, apart from its match: fixed at creation. */
export interface RoomMeta {
  readonly roomId: string;
  /** Listed rooms are in the matchmaking pool; private rooms are reached by code only. */
  readonly listed: boolean;
}

interface CheckpointRow extends Record<string, SqlStorageValue> {
  record: string;
  step: number;
}

interface StepRow extends Record<string, SqlStorageValue> {
  at: number;
  time: number;
  ticks: number;
  entries: string;
}

export interface Loaded {
  readonly meta: RoomMeta;
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
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 0), meta TEXT NOT NULL)`);
    // Row 0 is the record the match started from (kept for replays), row 1 the latest checkpoint.
    sql.exec(`CREATE TABLE IF NOT EXISTS checkpoint (
      id INTEGER PRIMARY KEY CHECK (id IN (0, 1)), record TEXT NOT NULL, step INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS steps (
      n INTEGER PRIMARY KEY, at INTEGER NOT NULL, time INTEGER NOT NULL, ticks INTEGER NOT NULL, entries TEXT NOT NULL)`);
    // Single-use tickets: an id is remembered until the ticket would have expired anyway.
    sql.exec(`CREATE TABLE IF NOT EXISTS used_tickets (jti TEXT PRIMARY KEY, expires INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS sessions (player TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE)`);
  }

  load(): Loaded | undefined {
    const [meta] = this.#sql.exec<{ meta: string }>("SELECT meta FROM meta").toArray();
    const [row] = this.#sql.exec<CheckpointRow>("SELECT record, step FROM checkpoint WHERE id = 1").toArray();
    if (!meta || !row) return undefined;
    const checkpoint = freeze(JSON.parse(row.record) as MatchRecord, true);
    const steps = this.#sql
      .exec<StepRow>("SELECT at, time, ticks, entries FROM steps WHERE n > ? ORDER BY n", row.step)
      .toArray()
      .map(toStep);
    this.#checkpointStep = row.step;
    this.#lastStep = row.step + steps.length;
    return { meta: JSON.parse(meta.meta) as RoomMeta, checkpoint, steps };
  }

  create(meta: RoomMeta, record: MatchRecord): void {
    const text = serialize(record);
    this.#write("INSERT INTO meta (id, meta) VALUES (0, ?)", JSON.stringify(meta));
    this.#write("INSERT INTO checkpoint (id, record, step) VALUES (0, ?, 0), (1, ?, 0)", text, text);
  }

  /**
   * Append a step and, when one is due, a checkpoint of the record it produced. Call inside a
   * transaction: the counters move only once every write has succeeded.
   */
  append(step: Step, record: MatchRecord): void {
    const n = this.#lastStep + 1;
    this.#write("INSERT INTO steps (n, at, time, ticks, entries) VALUES (?, ?, ?, ?, ?)", n, step.at, step.time, step.ticks, JSON.stringify(step.entries));
    if (n - this.#checkpointStep >= settings.checkpointEverySteps) {
      this.#write("INSERT OR REPLACE INTO checkpoint (id, record, step) VALUES (1, ?, ?)", serialize(record), n);
      this.#checkpointStep = n;
    }
    this.#lastStep = n;
  }

  /** Everything needed to replay the match: the record it started from and every step since. */
  log(): { initial: MatchRecord; steps: Step[] } | undefined {
    const [row] = this.#sql.exec<CheckpointRow>("SELECT record, step FROM checkpoint WHERE id = 0").toArray();
    if (!row) return undefined;
    const steps = this.#sql.exec<StepRow>("SELECT at, time, ticks, entries FROM steps ORDER BY n").toArray().map(toStep);
    return { initial: JSON.parse(row.record) as MatchRecord, steps };
  }

  /** Forget the room entirely: it becomes a room that was never created. */
  clear(): void {
    for (const table of ["meta", "checkpoint", "steps", "used_tickets", "sessions"]) this.#write(`DELETE FROM ${table}`);
    this.#lastStep = 0;
    this.#checkpointStep = 0;
  }

  /** Mark a ticket id used; false if it already was. Forgets ids whose tickets have expired. */
  useTicket(jti: string, expires: number, now: number): boolean {
    this.#write("DELETE FROM used_tickets WHERE expires <= ?", now);
    return this.#write("INSERT OR IGNORE INTO used_tickets (jti, expires) VALUES (?, ?)", jti, expires) > 0;
  }

  /** The player a reconnect token belongs to. */
  tokenOwner(token: string): string | undefined {
    const [row] = this.#sql.exec<{ player: string }>("SELECT player FROM sessions WHERE token = ?", token).toArray();
    return row?.player;
  }

  /** Give a player a new reconnect token; the old one stops working. */
  setToken(player: string, token: string): void {
    this.#write("INSERT OR REPLACE INTO sessions (player, token) VALUES (?, ?)", player, token);
  }

  #write(query: string, ...bindings: SqlStorageValue[]): number {
    const written = this.#sql.exec(query, ...bindings).rowsWritten;
    this.rowsWritten += written;
    return written;
  }
}

const toStep = (row: StepRow): Step => ({ at: row.at, time: row.time, ticks: row.ticks, entries: freeze(JSON.parse(row.entries) as LogEntry[], true) });

function serialize(record: MatchRecord): string {
  const text = JSON.stringify(record);
  // Refusing here fails the step that grew the state, inside its transaction, so nothing is half-written.
  if (text.length > settings.maxRecordBytes) throw new Error(`match record is ${text.length} bytes, over the budget`);
  return text;
}
