// Reading results back from D1: a player's history and a game's leaderboard, a bounded page at a time, and stored replays.
import type { LeaderboardPage, MatchOutcome, MatchPage, PlayedMatch, Standing } from "../../protocol/api.ts";

/** Cursors are the sort key of the last row served, so a page costs one indexed range read however deep it is. */
export const HISTORY_CURSOR = /^(\d{1,15})~([a-z0-9]{1,64})$/;
export const LEADERBOARD_CURSOR = /^(\d{1,9})~(\d{1,9})~([A-Za-z0-9_.:@|+=-]{1,128})$/;

interface MatchRow {
  room_id: string;
  game: string;
  preset: string;
  reason: string;
  result: string | null;
  started_at: number | null;
  ended_at: number;
  outcome: MatchOutcome;
  replay: number;
}

interface PlayerRow {
  room_id: string;
  user_id: string;
  name: string;
  team: string;
  outcome: MatchOutcome;
}

/** A player's ended matches, newest first, with everyone who played each (two queries for the whole page). */
export async function history(db: D1Database, userId: string, cursor: string | undefined, limit: number): Promise<MatchPage> {
  const after = cursor === undefined ? null : HISTORY_CURSOR.exec(cursor);
  const { results } = await db
    .prepare(
      `SELECT m.room_id, m.game, m.preset, m.reason, m.result, m.started_at, m.ended_at, p.outcome,
         EXISTS (SELECT 1 FROM replays r WHERE r.room_id = m.room_id) AS replay
       FROM match_players p JOIN matches m ON m.room_id = p.room_id
       WHERE p.user_id = ?1 AND (?2 IS NULL OR p.ended_at < ?2 OR (p.ended_at = ?2 AND p.room_id > ?3))
       ORDER BY p.ended_at DESC, p.room_id LIMIT ?4`,
    )
    .bind(userId, after ? Number(after[1]) : null, after?.[2] ?? "", limit + 1)
    .all<MatchRow>();
  const page = results.slice(0, limit);
  const rooms = page.map((row) => row.room_id);
  const players = new Map<string, PlayerRow[]>();
  if (rooms.length > 0) {
    const placeholders = rooms.map((_, i) => `?${i + 1}`).join(", ");
    const { results: rows } = await db
      .prepare(`SELECT room_id, user_id, name, team, outcome FROM match_players WHERE room_id IN (${placeholders}) ORDER BY team, user_id`)
      .bind(...rooms)
      .all<PlayerRow>();
    for (const row of rows) players.set(row.room_id, [...(players.get(row.room_id) ?? []), row]);
  }
  const matches = page.map(
    (row): PlayedMatch => ({
      roomId: row.room_id,
      game: row.game,
      preset: row.preset,
      reason: row.reason,
      result: row.result === null ? null : (JSON.parse(row.result) as unknown),
      startedAt: row.started_at,
      endedAt: row.ended_at,
      outcome: row.outcome,
      players: (players.get(row.room_id) ?? []).map((p) => ({ userId: p.user_id, name: p.name, team: p.team, outcome: p.outcome })),
      replay: row.replay === 1,
    }),
  );
  const last = page.at(-1);
  return { matches, ...(results.length > limit && last ? { next: `${last.ended_at}~${last.room_id}` } : {}) };
}

interface StandingRow {
  user_id: string;
  name: string;
  wins: number;
  losses: number;
  draws: number;
  played: number;
  last_played: number;
}

/** A game's standings: most wins first, then most draws, then user id (a stable order for the cursor). */
export async function leaderboard(db: D1Database, game: string, cursor: string | undefined, limit: number): Promise<LeaderboardPage> {
  const after = cursor === undefined ? null : LEADERBOARD_CURSOR.exec(cursor);
  const { results } = await db
    .prepare(
      `SELECT user_id, name, wins, losses, draws, played, last_played FROM standings
       WHERE game = ?1 AND (?2 IS NULL OR wins < ?2 OR (wins = ?2 AND (draws < ?3 OR (draws = ?3 AND user_id > ?4))))
       ORDER BY wins DESC, draws DESC, user_id LIMIT ?5`,
    )
    .bind(game, after ? Number(after[1]) : null, after ? Number(after[2]) : 0, after?.[3] ?? "", limit + 1)
    .all<StandingRow>();
  const page = results.slice(0, limit);
  const standings = page.map(
    (row): Standing => ({ userId: row.user_id, name: row.name, wins: row.wins, losses: row.losses, draws: row.draws, played: row.played, lastPlayed: row.last_played }),
  );
  const last = page.at(-1);
  return { game, standings, ...(results.length > limit && last ? { next: `${last.wins}~${last.draws}~${last.user_id}` } : {}) };
}

/** A replay kept in D1 after its room cleared its storage (REPLAYS = "d1"), as stored JSON text. */
export async function storedReplay(db: D1Database, roomId: string): Promise<string | null> {
  const row = await db.prepare("SELECT replay FROM replays WHERE room_id = ?1").bind(roomId).first<{ replay: string }>();
  return row?.replay ?? null;
}
