// Writing an ended match to D1: the match, who played it with their outcome, their standings, and the replay if kept.
import type { MatchOutcome } from "../../protocol/api.ts";
import type { MatchSummary } from "../../hooks.ts";
import { settings } from "../settings.ts";

/**
 * A player's outcome from the game's result: the shipped games end with `{ winner }` naming a team, a player
 * or "draw". A result without a winner (an abandoned match, a game that reports scores) is "none" and leaves
 * the standings alone.
 */
export function outcomeOf(result: unknown, player: { readonly id: string; readonly team: string }): MatchOutcome {
  const winner = typeof result === "object" && result !== null ? (result as { winner?: unknown }).winner : undefined;
  if (typeof winner !== "string") return "none";
  if (winner === "draw") return "draw";
  return winner === player.team || winner === player.id ? "win" : "loss";
}

const bounded = (value: unknown, maxBytes: number): string | null => {
  const text = JSON.stringify(value ?? null);
  return new TextEncoder().encode(text).length <= maxBytes ? text : null;
};

/**
 * One batch, so one transaction: writing the same match twice (a retried hook) changes nothing the second time,
 * because the standings only take rows not yet `counted`.
 */
export async function recordMatch(db: D1Database, match: MatchSummary, options: { replay: boolean }): Promise<void> {
  const statements = [
    db
      .prepare("INSERT INTO matches (room_id, game, preset, reason, result, started_at, ended_at, ticks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (room_id) DO NOTHING")
      .bind(match.roomId, match.game, match.preset, match.reason, bounded(match.result, settings.maxStoredResultBytes), match.startedAt, match.endedAt, match.ticks),
    ...match.players.map((player) =>
      db
        .prepare("INSERT INTO match_players (room_id, user_id, name, team, outcome, game, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING")
        .bind(match.roomId, player.userId, player.name, player.team, outcomeOf(match.result, player), match.game, match.endedAt),
    ),
    db
      .prepare(
        `INSERT INTO standings (game, user_id, name, wins, losses, draws, played, last_played)
         SELECT game, user_id, name, outcome = 'win', outcome = 'loss', outcome = 'draw', 1, ended_at
         FROM match_players WHERE room_id = ?1 AND counted = 0 AND outcome != 'none'
         ON CONFLICT (game, user_id) DO UPDATE SET wins = wins + excluded.wins, losses = losses + excluded.losses,
           draws = draws + excluded.draws, played = played + 1, name = excluded.name, last_played = excluded.last_played`,
      )
      .bind(match.roomId),
    db.prepare("UPDATE match_players SET counted = 1 WHERE room_id = ?1 AND counted = 0").bind(match.roomId),
  ];
  const replay = options.replay ? match.replay() : null;
  const text = replay === null ? null : bounded(replay, settings.maxStoredReplayBytes);
  if (text !== null) statements.push(db.prepare("INSERT INTO replays (room_id, replay) VALUES (?1, ?2) ON CONFLICT DO NOTHING").bind(match.roomId, text));
  await db.batch(statements);
}
