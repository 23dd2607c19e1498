// The room's SQLite tables: metadata, the checkpoint and the journal of steps since it (the room's truth), the replay log, used tickets and reconnect tokens.
import { frozen, isEnded, type MatchRecord, type Step } from "../../../engine/match.ts";
import { CodedError, errorBody, type ErrorBody } from "../../../protocol/errors.ts";
import { settings } from "../../settings.ts";

/** The layout below; a room stored in an earlier layout is upgraded once when it loads. */
const FORMAT = 3;

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

/** What a woken room finds: its meta, its last checkpoint, and every step stored after that checkpoint, in order. */
export interface Stored {
  readonly meta: RoomMeta;
  readonly checkpoint: MatchRecord;
  readonly steps: Step[];
}

const TABLES = ["meta", "records", "journal", "used_tickets", "sessions", "unconfirmed_tokens", "chat_lines"] as const;

/** Thin typed access to the tables; counts the rows it writes so the room can report its cost. */
export class RoomStorage {
  #sql: SqlStorage;
  /** Journal rows (stored batches) since the match began, and the latest that holds a checkpoint. */
  #rows = 0;
  #through = 0;
  /** Steps in the replay log (the journal's rows from the match's start). */
  #logged = 0;
  /** Set when the log stopped at `maxReplaySteps`; kept in the meta row so it survives a wake. */
  #truncated = false;
  rowsWritten = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 0), meta TEXT NOT NULL)`);
    // The record the match started from, for replays.
    sql.exec(`CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY CHECK (id = 0), record TEXT NOT NULL)`);
    // One row per stored batch: row `n` holds `count` steps and, when it is a checkpoint, the whole record after them,
    // so a batch is always one row written. Slot 0 is the checkpoint of the created room. While the replay log is
    // complete, slot = n and the rows from the match's start are its replay; after, rows go round a ring of
    // `checkpointRows` negative slots: a wake needs only the latest checkpoint and the rows after it, which a ring of
    // that size never overwrites (a checkpoint is written at least every `checkpointRows` rows). No secondary index:
    // each would add a row written per batch; the table is bounded, so a wake's scan is too.
    sql.exec(`CREATE TABLE IF NOT EXISTS journal (slot INTEGER PRIMARY KEY, n INTEGER NOT NULL, count INTEGER NOT NULL, steps TEXT NOT NULL, record TEXT)`);
    // Single-use tickets: an id is remembered until the ticket would have expired anyway.
    sql.exec(`CREATE TABLE IF NOT EXISTS used_tickets (jti TEXT PRIMARY KEY, expires INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS sessions (player TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE)`);
    // The token a player last connected with, valid until the new connection shows it got its successor.
    sql.exec(`CREATE TABLE IF NOT EXISTS unconfirmed_tokens (player TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE)`);
    // Kept chat lines (chat-store.ts): `scope` is "all", "team:<team>" or "whisper"; `a` and `b` are a whisper's two players.
    sql.exec(`CREATE TABLE IF NOT EXISTS chat_lines (id INTEGER PRIMARY KEY, scope TEXT NOT NULL, a TEXT, b TEXT, line TEXT NOT NULL)`);
  }

  /** The room's meta, checkpoint and the steps after it; undefined for a room never created (or disposed). */
  load(): Stored | undefined {
    const [metaRow] = this.#sql.exec<{ meta: string }>("SELECT meta FROM meta").toArray();
    if (!metaRow) return undefined;
    const stored = JSON.parse(metaRow.meta) as RoomMeta & { format?: number; truncated?: boolean };
    if (stored.format !== FORMAT) return this.#upgrade(stored);
    const [checkpoint] = this.#sql.exec<{ n: number; record: string }>("SELECT n, record FROM journal WHERE record IS NOT NULL ORDER BY n DESC LIMIT 1").toArray();
    if (!checkpoint) return undefined;
    this.#truncated = stored.truncated === true;
    this.#through = checkpoint.n;
    this.#logged = this.#sql.exec<{ steps: number | null }>("SELECT sum(count) AS steps FROM journal WHERE slot > 0").one().steps ?? 0;
    const rows = this.#sql.exec<{ n: number; steps: string }>("SELECT n, steps FROM journal WHERE n > ? ORDER BY n", checkpoint.n).toArray();
    this.#rows = rows.at(-1)?.n ?? checkpoint.n;
    const meta = { roomId: stored.roomId, listed: stored.listed, createdAt: stored.createdAt, ...(stored.shard === undefined ? {} : { shard: stored.shard }) };
    return { meta, checkpoint: frozen(JSON.parse(checkpoint.record) as MatchRecord), steps: rows.flatMap((r) => parseSteps(r.steps)) };
  }

  create(meta: RoomMeta, record: MatchRecord): void {
    const text = serialize(record);
    this.#writeMeta(meta);
    this.#write("INSERT INTO records (id, record) VALUES (0, ?)", text);
    this.#write("INSERT INTO journal (slot, n, count, steps, record) VALUES (0, 0, 0, '[]', ?)", text);
  }

  /**
   * Store a batch of steps that brought the match to `record` as one journal row, which also holds `record` as the
   * checkpoint when `checkpoint` is asked for or `checkpointRows` rows have passed since the last. Call inside a transaction.
   */
  flush(meta: RoomMeta, steps: readonly Step[], record: MatchRecord, checkpoint: boolean): void {
    const n = this.#rows + 1;
    const checkpointNow = checkpoint || n - this.#through >= settings.checkpointRows;
    if (!this.#truncated && this.#logged + steps.length > settings.maxReplaySteps) {
      this.#truncated = true;
      this.#writeMeta(meta);
    }
    // A ring slot's upsert is one row written; the row it replaces is older than the latest checkpoint.
    this.#write(
      "INSERT INTO journal (slot, n, count, steps, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT (slot) DO UPDATE SET n = excluded.n, count = excluded.count, steps = excluded.steps, record = excluded.record",
      this.#truncated ? -1 - (n % settings.checkpointRows) : n, n, steps.length, JSON.stringify(steps), checkpointNow ? serialize(record) : null,
    );
    if (!this.#truncated) this.#logged += steps.length;
    this.#rows = n;
    if (checkpointNow) this.#through = n;
  }

  /**
   * Store a record that did not come from a logged step (a migration to a new game version) as a checkpoint of its
   * own: the log can no longer rebuild the match, so the replay is marked incomplete.
   */
  replaceRecord(meta: RoomMeta, record: MatchRecord): void {
    this.#truncated = true;
    this.#writeMeta(meta);
    this.flush(meta, [], record, true);
  }

  /** Steps `from` (0-based) onwards of the replay log, at most `limit` of them. */
  replay(from: number, limit: number): ReplayPage | undefined {
    const [row] = this.#sql.exec<{ record: string }>("SELECT record FROM records WHERE id = 0").toArray();
    if (!row) return undefined;
    // The log is bounded (maxReplaySteps), so a page reads the rows up to its end and slices its steps out.
    const rows = this.#sql.exec<{ count: number; steps: string }>("SELECT count, steps FROM journal WHERE slot > 0 ORDER BY n").toArray();
    const steps: Step[] = [];
    let first = 0;
    for (const r of rows) {
      if (steps.length >= limit) break;
      if (first + r.count > from) steps.push(...parseSteps(r.steps).slice(Math.max(0, from - first)));
      first += r.count;
    }
    return { initial: JSON.parse(row.record) as MatchRecord, from, steps: steps.slice(0, limit), total: this.#logged, complete: !this.#truncated };
  }

  /** A page of an ended match's replay, with the ended record on the last page; refused for a log that stopped. */
  endedReplay(final: MatchRecord, from: number, limit: number): (ReplayPage & { final: MatchRecord | null }) | ErrorBody {
    const page = this.replay(from, Math.min(limit, settings.replayPageSteps));
    if (!page || !page.complete) return errorBody("replay_unavailable");
    return { ...page, final: page.from + page.steps.length >= page.total ? final : null };
  }

  /** Rows in every table and the database's size in bytes. */
  size(): StoredSize {
    const rows = TABLES.reduce((sum, table) => sum + this.#count(table), 0);
    return { rows, bytes: this.#sql.databaseSize };
  }

  /** Forget the room entirely: it becomes a room that was never created. */
  clear(): void {
    for (const table of TABLES) this.#write(`DELETE FROM ${table}`);
    this.#rows = 0;
    this.#through = 0;
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
   * A room stored by an earlier layout. The second (the whole record after every step, plus a replay log of a
   * step per row) keeps its record as the checkpoint; its replay log is dropped (that match has no replay). The
   * first (a checkpoint plus a step log in short keys) keeps its latest checkpoint as a record of game version 0,
   * so the room migrates it or ends it as incompatible instead of replaying old inputs through new rules.
   */
  #upgrade(meta: RoomMeta & { format?: number }): Stored | undefined {
    const second = meta.format === 2;
    const [row] = this.#sql.exec<{ record: string }>(second ? "SELECT record FROM records WHERE id = 1" : "SELECT record FROM checkpoint WHERE id = 1").toArray();
    if (!row) return undefined;
    const record = second ? frozen(JSON.parse(row.record) as MatchRecord) : firstLayoutRecord(row.record);
    const upgraded = { roomId: meta.roomId, listed: meta.listed, createdAt: meta.createdAt ?? 0 };
    for (const table of ["checkpoint", "steps", "replay_log", "records"]) this.#sql.exec(`DROP TABLE IF EXISTS ${table}`);
    this.#sql.exec(`CREATE TABLE records (id INTEGER PRIMARY KEY CHECK (id = 0), record TEXT NOT NULL)`);
    this.#truncated = true;
    this.#writeMeta(upgraded);
    this.#write("INSERT INTO records (id, record) VALUES (0, ?)", JSON.stringify(record));
    this.#write("INSERT OR REPLACE INTO journal (slot, n, count, steps, record) VALUES (0, 0, 0, '[]', ?)", JSON.stringify(record));
    return { meta: upgraded, checkpoint: record, steps: [] };
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

const parseSteps = (text: string): Step[] => frozen(JSON.parse(text) as Step[]);

/** The first layout's checkpoint as a record: players who had left are dropped, its game version is 0. */
function firstLayoutRecord(text: string): MatchRecord {
  const old = JSON.parse(text) as Omit<MatchRecord, "players"> & { players: Record<string, MatchRecord["players"][string] | { presence: "left" }> };
  const players = Object.fromEntries(Object.entries(old.players).filter((entry): entry is [string, MatchRecord["players"][string]] => entry[1].presence !== "left"));
  const seqs = Object.fromEntries(Object.entries(old.seqs).filter(([id]) => Object.hasOwn(players, id)));
  return frozen({ ...old, gameVersion: 0, players, seqs } as MatchRecord);
}

/**
 * Whether a record may be stored: within `maxRecordBytes`, or ended. An ended match takes no more steps, so
 * its last record is stored even past the budget (the platform's 2 MB value limit is twice the default):
 * that is how a match that outgrew the budget gets to end.
 */
export const withinBudget = (record: MatchRecord, length: number = JSON.stringify(record).length): boolean =>
  length <= settings.maxRecordBytes || isEnded(record);

function serialize(record: MatchRecord): string {
  const text = JSON.stringify(record);
  // Refusing here fails the step that grew the record, inside its transaction, so nothing is half-written.
  if (!withinBudget(record, text.length)) throw new CodedError("record_too_large", `match record would be ${text.length} bytes`);
  return text;
}
