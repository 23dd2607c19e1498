// Your deployment's hooks around a room's life: what happens outside the room when a match ends.
import type { EndReason, MatchRecord, Step } from "./engine/match.ts";
import { recordMatch } from "./worker/results/record.ts";

/** What a room knows about a match when it ends. */
export interface MatchSummary {
  readonly roomId: string;
  readonly game: string;
  readonly preset: string;
  readonly reason: EndReason;
  /** What the game's `endIf` (or `onAbandon`) returned; null when the match ended without one. */
  readonly result: unknown;
  /** The players seated at the end (players who left earlier are in the game's own state, if it keeps them). */
  readonly players: readonly { readonly id: string; readonly userId: string; readonly name: string; readonly team: string }[];
  readonly startedAt: number | null;
  readonly endedAt: number;
  readonly ticks: number;
  /** The whole replay (the record it started from, every step, the ended record), or null when the log stopped. */
  replay(): StoredReplay | null;
}

export interface StoredReplay {
  readonly initial: MatchRecord;
  readonly steps: readonly Step[];
  readonly final: MatchRecord;
}

export interface RoomHooks {
  /**
   * Runs once when a match ends, after the ended record is stored (record results elsewhere: a database, a
   * queue, a webhook). It runs in the room's object; a throw is logged and changes nothing in the room.
   */
  onMatchEnd(match: MatchSummary, env: Env): void | Promise<void>;
}

export const hooks: RoomHooks = {
  async onMatchEnd(match, env) {
    console.log(`match ended: room ${match.roomId} (${match.game}/${match.preset}) ${match.reason} ${JSON.stringify(match.result)}`);
    // Results, histories and the leaderboard in D1 (docs/identity.md); REPLAYS = "d1" keeps the replay there too.
    await recordMatch(env.DB, match, { replay: (env.REPLAYS as string) === "d1" });
  },
};
