// The room's SQLite tables: metadata, the latest record (the room's truth), the replay log, used tickets and reconnect tokens.
import { freeze } from "immer";
import { isEnded, type LogEntry, type MatchRecord, type Step } from "../../engine/match.ts";
import { CodedError, errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { settings } from "../settings.ts";

/** The layout below; a room stored in an earlier layout is upgraded once when it loads. */
const FORMAT = 2;

/** What a room is, apart from its match: fixed at creation. */
export interface RoomMeta {
  readonly roomId: string;
  /** Listed rooms are in the matchmaking pool; private rooms are reached by code only. */
  readonly listed: boolean;
  /** Wall time of creation (ms), for disposing of a room that nobody joined. */
  readonly createdAt: number;
  /** The matchmaker shard that lists the room (`<game>:<region>:<index>`); the room reports only to it. */
  readonly shard?: string;
}

interface StepRow extends Record<string, SqlStorageValue> {
  tick: number;
  time: number;
  ticks: number;
  entries: string;
}

/** One page of a replay: the record the match started from, and steps `from`.. of the log. */
export interface ReplayPage {
  readonly initial: MatchRecord;
  readonly from: number;
  readonly steps: Step[];
  /** Steps in the whole log. */
  readonly total: number;
  /** False when the match outgrew `maxReplaySteps` and stopped logging: the log cannot rebuild it. */
  readonly complete: boolean;
}

/** What a room's storage holds now, for its stats. */
export interface StoredSize {
  readonly rows: number;
  readonly bytes: number;
}

/** Thin typed access to the tables; counts the rows it writes so the room can report its cost. */
export class RoomStorage {
  #sql: SqlStorage;
  #logged = 0;
  /** Set when the log stopped at `maxReplaySteps`; kept in the meta row so it survives a wake. */
  #truncated = false;
  rowsWritten = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 0), meta TEXT NOT NULL)`);
    // Row 0 is the record the match started from (for replays), row 1 the record after the latest step.
    sql.exec(`CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY CHECK (id IN (0, 1)), record TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS replay_log (
      n INTEGER PRIMARY KEY, tick INTEGER NOT NULL, time INTEGER NOT NULL, ticks INTEGER NOT NULL, entries TEXT NOT NULL)`);
    // Single-use tickets: an id is remembered until the ticket would have expired anyway.
    sql.exec(`CREATE TABLE IF NOT EXISTS used_tickets (jti TEXT PRIMARY KEY, expires INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS sessions (player TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE)`);
    // The token a player last connected with, valid until the new connection shows it got its successor.
    sql.exec(`CREATE TABLE IF NOT EXISTS unconfirmed_tokens (player TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE)`);
    // Kept chat lines (chat-store.ts): `scope` is "all", "team:<team>" or "whisper"; `a` and `b` are a whisper's two players.
    sql.exec(`CREATE TABLE IF NOT EXISTS chat_lines (id INTEGER PRIMARY KEY, scope TEXT NOT NULL, a TEXT, b TEXT, line TEXT NOT NULL)`);
  }

  /** The room's meta and its latest record; undefined for a room never created (or disposed). */
  load(): { meta: RoomMeta; record: MatchRecord } | undefined {
    const [metaRow] = this.#sql.exec<{ meta: string }>("SELECT meta FROM meta").toArray();
    if (!metaRow) return undefined;
    const stored = JSON.parse(metaRow.meta) as RoomMeta & { format?: number; truncated?: boolean };
    if (stored.format !== FORMAT) return this.#upgrade(stored);
    const [row] = this.#sql.exec<{ record: string }>("SELECT record FROM records WHERE id = 1").toArray();
    if (!row) return undefined;
    this.#logged = this.#count("replay_log");
    this.#truncated = stored.truncated === true;
    const meta = { roomId: stored.roomId, listed: stored.listed, createdAt: stored.createdAt, ...(stored.shard === undefined ? {} : { shard: stored.shard }) };
    return { meta, record: freeze(JSON.parse(row.record) as MatchRecord, true) };
  }

  create(meta: RoomMeta, record: MatchRecord): void {
    const text = serialize(record);
    this.#writeMeta(meta);
    this.#write("INSERT INTO records (id, record) VALUES (0, ?), (1, ?)", text, text);
  }

  /**
   * Store the record a step produced and log the step for replays, while the log has room. Call inside a
   * transaction: a record over the budget throws `record_too_large` before anything is written.
   */
  commit(meta: RoomMeta, step: Step, record: MatchRecord): void {
    this.#write("INSERT OR REPLACE INTO records (id, record) VALUES (1, ?)", serialize(record));
    if (this.#truncated) return;
    if (this.#logged >= settings.maxReplaySteps) {
      this.#truncated = true;
      this.#writeMeta(meta);
      return;
    }
    this.#write("INSERT INTO replay_log (n, tick, time, ticks, entries) VALUES (?, ?, ?, ?, ?)", this.#logged + 1, step.tick, step.time, step.ticks, JSON.stringify(step.entries));
    this.#logged += 1;
  }

  /**
   * Store a record that did not come from a logged step (a migration to a new game version): the log can no
   * longer rebuild the match, so the replay is marked incomplete.
   */
  replaceRecord(meta: RoomMeta, record: MatchRecord): void {
    this.#write("INSERT OR REPLACE INTO records (id, record) VALUES (1, ?)", serialize(record));
    this.#truncated = true;
    this.#writeMeta(meta);
  }

  /** Steps `from` (0-based) onwards of the replay log, at most `limit` of them. */
  replay(from: number, limit: number): ReplayPage | undefined {
    const [row] = this.#sql.exec<{ record: string }>("SELECT record FROM records WHERE id = 0").toArray();
    if (!row) return undefined;
    const steps = this.#sql
      .exec<StepRow>("SELECT tick, time, ticks, entries FROM replay_log WHERE n > ? ORDER BY n LIMIT ?", from, limit)
      .toArray()
      .map(toStep);
    return { initial: JSON.parse(row.record) as MatchRecord, from, steps, total: this.#logged, complete: !this.#truncated };
  }

  /** A page of an ended match's replay, with the ended record on the last page; refused for a log that stopped. */
  endedReplay(final: MatchRecord, from: number, limit: number): (ReplayPage & { final: MatchRecord | null }) | ErrorBody {
    const page = this.replay(from, Math.min(limit, settings.replayPageSteps));
    if (!page || !page.complete) return errorBody("replay_unavailable");
    return { ...page, final: page.from + page.steps.length >= page.total ? final : null };
  }

  /** Rows in every table and the database's size in bytes. */
  size(): StoredSize {
    const rows = ["meta", "records", "replay_log", "used_tickets", "sessions", "unconfirmed_tokens", "chat_lines"].reduce((sum, table) => sum + this.#count(table), 0);
    return { rows, bytes: this.#sql.databaseSize };
  }

  /** Forget the room entirely: it becomes a room that was never created. */
  clear(): void {
    for (const table of ["meta", "records", "replay_log", "used_tickets", "sessions", "unconfirmed_tokens", "chat_lines"]) this.#write(`DELETE FROM ${table}`);
    this.#logged = 0;
    this.#truncated = false;
  }

  /** Mark a ticket id used; false if it already was. Forgets ids whose tickets have expired. */
  useTicket(jti: string, expires: number, now: number): boolean {
    this.#write("DELETE FROM used_tickets WHERE expires <= ?", now);
    return this.#write("INSERT OR IGNORE INTO used_tickets (jti, expires) VALUES (?, ?)", jti, expires) > 0;
  }

  /** The player a reconnect token belongs to: the current one, or the one whose successor was not confirmed yet. */
  tokenOwner(token: string): string | undefined {
    const [row] = this.#sql
      .exec<{ player: string }>("SELECT player FROM sessions WHERE token = ? UNION SELECT player FROM unconfirmed_tokens WHERE token = ?", token, token)
      .toArray();
    return row?.player;
  }

  /**
   * Give a player a new reconnect token. The token it connected with (`used`) stays valid until `confirmToken`:
   * the new one travels only in the welcome, and a connection that drops before the welcome must not cost the seat.
   */
  setToken(player: string, token: string, used?: string): void {
    this.#write("INSERT OR REPLACE INTO sessions (player, token) VALUES (?, ?)", player, token);
    if (used === undefined) this.#write("DELETE FROM unconfirmed_tokens WHERE player = ?", player);
    else this.#write("INSERT OR REPLACE INTO unconfirmed_tokens (player, token) VALUES (?, ?)", player, used);
  }

  /** The player's new connection spoke, so it has its welcome and the token it connected with is spent. */
  confirmToken(player: string): void {
    this.#write("DELETE FROM unconfirmed_tokens WHERE player = ?", player);
  }

  /** A player left for good: their reconnect tokens go with them. */
  dropToken(player: string): void {
    this.#write("DELETE FROM sessions WHERE player = ?", player);
    this.confirmToken(player);
  }

  /**
   * A room stored by the first layout (a checkpoint plus a step log in short keys): keep its latest
   * checkpoint as a record of game version 0, so the room migrates it or ends it as incompatible
   * instead of replaying old inputs through new rules. Steps after that checkpoint are dropped.
   */
  #upgrade(meta: RoomMeta): { meta: RoomMeta; record: MatchRecord } | undefined {
    const [row] = this.#sql.exec<{ record: string }>("SELECT record FROM checkpoint WHERE id = 1").toArray();
    if (!row) return undefined;
    const old = JSON.parse(row.record) as Omit<MatchRecord, "players"> & { players: Record<string, MatchRecord["players"][string] | { presence: "left" }> };
    const players = Object.fromEntries(Object.entries(old.players).filter((entry): entry is [string, MatchRecord["players"][string]] => entry[1].presence !== "left"));
    const seqs = Object.fromEntries(Object.entries(old.seqs).filter(([id]) => Object.hasOwn(players, id)));
    const record = freeze({ ...old, gameVersion: 0, players, seqs } as MatchRecord, true);
    const upgraded = { roomId: meta.roomId, listed: meta.listed, createdAt: meta.createdAt ?? 0 };
    this.#sql.exec("DROP TABLE IF EXISTS checkpoint");
    this.#sql.exec("DROP TABLE IF EXISTS steps");
    this.#truncated = true;
    this.#writeMeta(upgraded);
    this.#write("INSERT OR REPLACE INTO records (id, record) VALUES (0, ?), (1, ?)", serialize(record), serialize(record));
    return { meta: upgraded, record };
  }

  #writeMeta(meta: RoomMeta): void {
    const stored = { ...meta, format: FORMAT, ...(this.#truncated ? { truncated: true } : {}) };
    this.#write("INSERT OR REPLACE INTO meta (id, meta) VALUES (0, ?)", JSON.stringify(stored));
  }

  #count(table: string): number {
    return this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n;
  }

  #write(query: string, ...bindings: SqlStorageValue[]): number {
    const written = this.#sql.exec(query, ...bindings).rowsWritten;
    this.rowsWritten += written;
    return written;
  }
}

const toStep = (row: StepRow): Step => ({ tick: row.tick, time: row.time, ticks: row.ticks, entries: freeze(JSON.parse(row.entries) as LogEntry[], true) });

/**
 * Whether a record may be stored: within `maxRecordBytes`, or ended. An ended match takes no more steps, so
 * its last record is stored even past the budget (the platform's 2 MB value limit is twice the default):
 * that is how a match that outgrew the budget gets to end.
 */
export const withinBudget = (record: MatchRecord, text: string = JSON.stringify(record)): boolean =>
  text.length <= settings.maxRecordBytes || isEnded(record);

function serialize(record: MatchRecord): string {
  const text = JSON.stringify(record);
  // Refusing here fails the step that grew the record, inside its transaction, so nothing is half-written.
  if (!withinBudget(record, text)) throw new CodedError("record_too_large", `match record would be ${text.length} bytes`);
  return text;
}
