// The room's timers besides ticks, read off the record: held seats, the game's deadline, retention.
import type { Game } from "../../engine/define-game.ts";
import type { LogEntry, MatchRecord } from "../../engine/match.ts";

export interface Timers {
  /** When each away player's held seat is given up. */
  readonly seats: readonly { readonly player: string; readonly at: number }[];
  /** The game's own deadline (a turn timer), while the match runs. */
  readonly deadline: number | null;
  /** When an ended room clears itself. */
  readonly closeAt: number | null;
}

export function timersOf(game: Game, record: MatchRecord, retentionMs: number): Timers {
  const seats = Object.entries(record.players).flatMap(([player, seat]) =>
    seat.presence === "away" && seat.awayUntil !== undefined ? [{ player, at: seat.awayUntil }] : [],
  );
  const ended = record.result !== undefined;
  return {
    seats,
    deadline: ended ? null : game.deadline(record.state),
    closeAt: ended ? (record.endedAt ?? 0) + retentionMs : null,
  };
}

/** The log entries for every timer that is due at `now`. */
export function dueEntries(timers: Timers, now: number): LogEntry[] {
  const entries: LogEntry[] = timers.seats.filter((seat) => seat.at <= now).map((seat) => ({ k: "leave", p: seat.player }));
  if (timers.deadline !== null && timers.deadline <= now) entries.push({ k: "deadline" });
  return entries;
}

/** The earliest time any timer wants the alarm. */
export const earliest = (timers: Timers): number | null => {
  const times = [...timers.seats.map((seat) => seat.at), timers.deadline, timers.closeAt].filter((t): t is number => t !== null);
  return times.length > 0 ? Math.min(...times) : null;
};
