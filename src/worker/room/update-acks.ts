// Update-carried acks: in a realtime game every update tells a player's socket the highest seq its state reflects.
import type { Game } from "../../engine/define-game.ts";
import { seatedPlayer, type MatchRecord } from "../../engine/match.ts";
import { audienceOf, type AudienceKey } from "../../engine/views.ts";

/**
 * Realtime games acknowledge actions in their updates: 20 ticks a second already carry one message per
 * socket, so an `ack` message per input would double the sends (each its own send, deflate and syscall).
 * Turn-based games keep one `ack` per action.
 */
export const acksInUpdates = (game: Game): boolean => game.tickHz > 0;

/**
 * The same update text with this socket's ack: the text is built once per audience and shared, so the ack is
 * spliced in before its closing brace rather than serialized again.
 */
export const withAck = (text: string, ack: number): string => `${text.slice(0, -1)},"ack":${ack}}`;

/**
 * Audiences with a player whose processed seq moved in this step. Each gets an update even if its view did not
 * change (a patch with no ops), so an action whose effect nobody can see is still acknowledged at once.
 */
export function owedAudiences(game: Game, before: MatchRecord, after: MatchRecord): Set<AudienceKey> {
  const owed = new Set<AudienceKey>();
  if (!acksInUpdates(game) || after.seqs === before.seqs) return owed;
  for (const [id, seq] of Object.entries(after.seqs)) {
    if (before.seqs[id] === seq) continue;
    const player = seatedPlayer(after, id);
    if (player) owed.add(audienceOf(game, player));
  }
  return owed;
}
