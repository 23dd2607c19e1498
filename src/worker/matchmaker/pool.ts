// A matchmaker's pool of public rooms in SQLite: bounded, indexed for quick play, read a page at a time (never all rows).
import type { RoomSummary } from "../../protocol/api.ts";
import { settings, type SkillWindow } from "../settings.ts";
import { type Range } from "./skill.ts";

type Row = Record<string, SqlStorageValue>;

/** Seats a player could take now; none while the room reports it takes no one (a game that refuses joins in progress). */
const free = (room: RoomSummary): number => (room.joinable ? room.capacity - room.seated - room.reserved : 0);

/** Phases in which a room may take players; any other report (ended, abandoned, disposed...) takes it out of the pool. */
const OPEN_PHASES: readonly string[] = ["created", "waiting", "playing"];

export class RoomPool {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    // The first pool kept every summary in one unindexed table that was read whole on every wake; its rooms
    // reappear here on their next report.
    sql.exec("DROP TABLE IF EXISTS rooms");
    // `lo`/`hi` are the lowest and highest rating the shard seated in the room (NULL: nobody rated yet) and
    // `created` when it entered the pool: the skill window of a room widens from then.
    sql.exec(`CREATE TABLE IF NOT EXISTS pool (
      id TEXT PRIMARY KEY, preset TEXT NOT NULL, free INTEGER NOT NULL, empty INTEGER NOT NULL,
      version INTEGER NOT NULL, updated INTEGER NOT NULL, summary TEXT NOT NULL,
      lo REAL, hi REAL, created INTEGER NOT NULL)`);
    sql.exec("CREATE INDEX IF NOT EXISTS pool_pick ON pool (preset, free)");
    sql.exec("CREATE INDEX IF NOT EXISTS pool_stale ON pool (empty, updated)");
  }

  get size(): number {
    return Number(this.#sql.exec("SELECT COUNT(*) AS n FROM pool").one()["n"]);
  }

  get(roomId: string): RoomSummary | undefined {
    const row = this.#sql.exec("SELECT summary FROM pool WHERE id = ?", roomId).toArray()[0];
    return row ? (JSON.parse(String(row["summary"])) as RoomSummary) : undefined;
  }

  /** Store a room's report unless a later one is already stored; returns whether it is in the pool afterwards. */
  put(summary: RoomSummary, now: number): boolean {
    // A disposed room is gone whatever its version said: its storage is cleared, so its next life starts at 0.
    if (summary.phase === "disposed") {
      this.delete(summary.roomId);
      return false;
    }
    const known = this.#sql.exec("SELECT version FROM pool WHERE id = ?", summary.roomId).toArray()[0];
    if (known && Number(known["version"]) > summary.version) return true;
    if (!OPEN_PHASES.includes(summary.phase)) {
      this.delete(summary.roomId);
      return false;
    }
    const empty = summary.seated + summary.reserved === 0 ? 1 : 0;
    // A report keeps the ratings and the creation time the shard recorded when it seated players.
    this.#sql.exec(
      `INSERT INTO pool (id, preset, free, empty, version, updated, summary, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET preset = excluded.preset, free = excluded.free, empty = excluded.empty,
         version = excluded.version, updated = excluded.updated, summary = excluded.summary`,
      summary.roomId, summary.preset, free(summary), empty, summary.version, now, JSON.stringify(summary), now,
    );
    return true;
  }

  delete(roomId: string): void {
    this.#sql.exec("DELETE FROM pool WHERE id = ?", roomId);
  }

  /** Mark a room full until it reports again (a reservation found it full). */
  markFull(roomId: string): void {
    this.#sql.exec("UPDATE pool SET free = 0 WHERE id = ?", roomId);
  }

  /** The room's rating range now takes in `range` (players the shard just seated there). */
  widen(roomId: string, range: Range): void {
    this.#sql.exec("UPDATE pool SET lo = MIN(COALESCE(lo, ?), ?), hi = MAX(COALESCE(hi, ?), ?) WHERE id = ?", range.lo, range.lo, range.hi, range.hi, roomId);
  }

  /** A room's rating range and when it entered the pool, for checking a skill window. */
  ratings(roomId: string): { range: Range | null; created: number } | undefined {
    const row = this.#sql.exec<Row>("SELECT lo, hi, created FROM pool WHERE id = ?", roomId).toArray()[0];
    if (!row) return undefined;
    const range = row["lo"] === null || row["hi"] === null ? null : { lo: Number(row["lo"]), hi: Number(row["hi"]) };
    return { range, created: Number(row["created"]) };
  }

  /**
   * The `count` fullest rooms of a preset with at least `seats` free (as last reported), fullest first. With a
   * skill window, only rooms whose ratings, together with `range`, stay within the room's window at `now`.
   */
  candidates(preset: string, count: number, seats = 1, skill?: { window: SkillWindow; range: Range; now: number }): { roomId: string; free: number }[] {
    const fits = skill
      ? ` AND ((? - created) >= ? OR MAX(COALESCE(hi, ?), ?) - MIN(COALESCE(lo, ?), ?) <= ? + ? * (? - created) / 1000.0)`
      : "";
    const args = skill
      ? [skill.now, 1000 * skill.window.maxWaitSeconds, skill.range.hi, skill.range.hi, skill.range.lo, skill.range.lo, skill.window.window, skill.window.widenPerSecond, skill.now]
      : [];
    return this.#sql
      .exec<Row>(`SELECT id, free FROM pool WHERE preset = ? AND free >= ?${fits} ORDER BY free ASC, id LIMIT ?`, preset, seats, ...args, count)
      .toArray()
      .map((row) => ({ roomId: String(row["id"]), free: Number(row["free"]) }));
  }

  /** Rooms with a free seat, by id, after `cursor`: at most `limit`, and the cursor of the next page if there is one. */
  page(options: { cursor?: string | undefined; limit: number; withFull?: boolean }): { rooms: RoomSummary[]; next?: string } {
    const where = options.withFull ? "id > ?" : "id > ? AND free > 0";
    const rows = this.#sql.exec<Row>(`SELECT summary FROM pool WHERE ${where} ORDER BY id LIMIT ?`, options.cursor ?? "", options.limit + 1).toArray();
    const rooms = rows.slice(0, options.limit).map((row) => JSON.parse(String(row["summary"])) as RoomSummary);
    const last = rooms.at(-1);
    return rows.length > options.limit && last ? { rooms, next: last.roomId } : { rooms };
  }

  /** Empty rooms that reported nothing for a while leave the pool, so abandoned rooms do not fill it. */
  prune(now: number): void {
    this.#sql.exec("DELETE FROM pool WHERE empty = 1 AND updated < ?", now - 1000 * settings.emptyRoomPoolSeconds);
  }

  get full(): boolean {
    return this.size >= settings.maxPoolRooms;
  }
}
