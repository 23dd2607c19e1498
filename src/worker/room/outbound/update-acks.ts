// Update-carried acks: in a realtime game every update tells a player's socket the highest seq its state reflects.
import type { Game, PlayerId } from "../../../engine/define-game.ts";
import { seatedPlayer, type MatchRecord } from "../../../engine/match.ts";
import { withSuffix } from "../../../protocol/frames.ts";
import { audienceOf, perRoster, type AudienceKey, type RosterMemo } from "../../../engine/updates/views.ts";

/**
 * Realtime games acknowledge actions in their updates: 20 ticks a second already carry one message per
 * socket, so an `ack` message per input would double the sends (each its own send, deflate and syscall).
 * Turn-based games keep one `ack` per action.
 */
export const acksInUpdates = (game: Game): boolean => game.tickHz > 0;

/**
 * This socket's ack (and `applied`, when the view reflects more than is stored) as JSON members: the update text is
 * built once per audience and shared, so these are spliced in before its closing brace (or ride in a compressed
 * frame's suffix), not serialized again.
 */
export const ackSuffix = (ack: number, applied: number): string => `,"ack":${ack}${applied === ack ? "" : `,"applied":${applied}`}`;

/** The same update text with this socket's ack spliced in. */
export const withAck = (text: string, ack: number, applied: number): string => withSuffix(text, ackSuffix(ack, applied));

/**
 * Per player, the highest action seq that storage holds: what an ack may claim. The room stores every step before
 * it sends anything about it, so today this is the record's own `seqs`; a room that stored steps in batches would
 * pass the seqs of its last stored record instead, and acks would follow its writes.
 */
export type StoredSeqs = Readonly<Record<PlayerId, number>>;

/**
 * Audiences with a player whose stored seq (ack) or applied seq moved in this step. Each gets an update even if its
 * view did not change (a patch with no ops), so an action whose effect nobody can see is still acknowledged at once.
 */
export function owedAudiences(game: Game, before: MatchRecord, after: MatchRecord, previous: StoredSeqs, stored: StoredSeqs): Set<AudienceKey> {
  const owed = new Set<AudienceKey>();
  if (!acksInUpdates(game) || (stored === previous && after.seqs === before.seqs)) return owed;
  for (const [id, audience] of playerAudiences(game, after)) {
    if (previous[id] !== stored[id] || before.seqs[id] !== after.seqs[id]) owed.add(audience);
  }
  return owed;
}

/** Each seated player's audience, per roster: acks are owed every step. */
const audiencesByRoster: RosterMemo<ReadonlyMap<PlayerId, AudienceKey>> = new WeakMap();

const playerAudiences = (game: Game, record: MatchRecord): ReadonlyMap<PlayerId, AudienceKey> =>
  perRoster(audiencesByRoster, game, record, () => {
    const audiences = new Map<PlayerId, AudienceKey>();
    for (const id of Object.keys(record.players)) {
      const player = seatedPlayer(record, id);
      if (player) audiences.set(id, audienceOf(game, player));
    }
    return audiences;
  });
