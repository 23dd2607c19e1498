// Your deployment's hooks around a room's life: what happens outside the room when a match ends, and what chat lets through.
import type { EndReason, MatchRecord, Step } from "./engine/match.ts";
import type { ChatChannel } from "./protocol/messages.ts";
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

/** A chat line before anyone sees it: already normalized and within the length limit. */
export interface ChatCandidate {
  readonly game: string;
  readonly channel: ChatChannel;
  readonly text: string;
  readonly from: { readonly id: string; readonly name: string; readonly team: string; readonly role: "player" | "spectator" };
  /** A whisper's recipient. */
  readonly to?: string;
}

/** What moderation makes of a line: let it through, refuse it (the sender hears `chat_refused` and `reason`), or send `text` instead. */
export type ChatVerdict = { readonly verdict: "allow" } | { readonly verdict: "reject"; readonly reason: string } | { readonly verdict: "rewrite"; readonly text: string };

export interface RoomHooks {
  /**
   * Runs once when a match ends, after the ended record is stored (record results elsewhere: a database, a
   * queue, a webhook). It runs in the room's object; a throw is logged and changes nothing in the room.
   */
  onMatchEnd(match: MatchSummary, env: Env): void | Promise<void>;
  /**
   * Runs on every chat line before anyone sees it; keep it pure and fast (no I/O: it runs inside the room, on
   * every line). A rewrite is normalized and checked again; one that fails the checks refuses the line.
   */
  moderateChat(line: ChatCandidate): ChatVerdict;
}

export const hooks: RoomHooks = {
  async onMatchEnd(match, env) {
    console.log(`match ended: room ${match.roomId} (${match.game}/${match.preset}) ${match.reason} ${JSON.stringify(match.result)}`);
    // Results, histories and the leaderboard in D1 (docs/identity.md); REPLAYS = "d1" keeps the replay there too.
    await recordMatch(env.DB, match, { replay: (env.REPLAYS as string) === "d1" });
  },
  moderateChat(line) {
    // Examples to replace with your own rules: no links, and a line that is all capitals is lowered rather than shouted.
    if (/https?:\/\//i.test(line.text)) return { verdict: "reject", reason: "links are not allowed in chat" };
    const letters = line.text.replace(/[^\p{L}]/gu, "");
    if (letters.length >= 8 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return { verdict: "rewrite", text: line.text.toLowerCase() };
    return { verdict: "allow" };
  },
};
