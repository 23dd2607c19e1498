// Audiences and what each is sent: project the record per audience, then diff against what it holds.
import type { Game, PlayerInfo } from "../define-game.ts";
import { configOf, seatedPlayer, type MatchRecord } from "../match.ts";
import { patchOf, type DiffMemo, type Patch } from "./patch.ts";
import { viewText } from "./view-text.ts";
import type { AudienceKey, PatchMessage, RoomView, SnapshotMessage } from "../../protocol/messages.ts";

// Wire shapes, defined with the protocol; re-exported because audiences are this module's subject.
export type { AudienceKey, RoomView };

export const SPECTATORS = "spectator" satisfies AudienceKey;
export const playerTag = (id: string): AudienceKey => `player:${id}`;
export const teamTag = (team: string): AudienceKey => `team:${team}`;

export const audienceOf = <S, C, V>(game: Game<S, C, V>, player: PlayerInfo): AudienceKey =>
  game.hasPlayerView ? playerTag(player.id) : teamTag(player.team);

/** Every audience a record has: each team (or each seated player), and the spectators. */
export function audiencesOf<S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>): AudienceKey[] {
  const seated = game.hasPlayerView
    ? Object.keys(record.players).filter((id) => seatedPlayer(record, id)).map(playerTag)
    : game.teams.map(teamTag);
  return [...seated, SPECTATORS];
}

/** Answers that follow from the roster alone, kept per roster: it changes only on seat events, and a room asks after every step. */
export type RosterMemo<T> = WeakMap<MatchRecord["players"], { game: Game; value: T }>;

/** `compute()` for this game and roster, computed once per roster. */
export function perRoster<S, C, V, T>(memo: RosterMemo<T>, game: Game<S, C, V>, record: MatchRecord<S>, compute: () => T): T {
  const known = memo.get(record.players);
  if (known?.game === game) return known.value;
  const value = compute();
  memo.set(record.players, { game: game as Game, value });
  return value;
}

const seatedByRoster: RosterMemo<ReadonlySet<AudienceKey>> = new WeakMap();
const liveByRoster: RosterMemo<ReadonlySet<AudienceKey>> = new WeakMap();

/** Audiences of every seated player, connected or away. */
export const seatedAudiences = <S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>): ReadonlySet<AudienceKey> =>
  perRoster(seatedByRoster, game, record, () => new Set(Object.keys(record.players).flatMap((id) => {
    const player = seatedPlayer(record, id);
    return player ? [audienceOf(game, player)] : [];
  })));

/** `audiencesOf` as a set, asked on every broadcast. */
export const liveAudiences = <S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>): ReadonlySet<AudienceKey> =>
  perRoster(liveByRoster, game, record, () => new Set(audiencesOf(game, record)));

export function viewFor<S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>, audience: AudienceKey): RoomView<V> {
  const config = configOf(game, record);
  const roster = record.players;
  if (audience === SPECTATORS) return { roster, game: game.spectatorView(record.state, config) };
  const at = audience.indexOf(":");
  const id = audience.slice(at + 1);
  if (audience.startsWith("team:")) return { roster, game: game.teamView(record.state, id, config) };
  // A player who has left is projected as a member of no team.
  const player = seatedPlayer(record, id) ?? { id, name: "", team: "" };
  return { roster, game: game.playerView(record.state, player, config) };
}

/** What an audience was last sent: the view, and the version its clients hold. */
export interface Sent {
  readonly version: number;
  readonly view: unknown;
  /** Length of this audience's last snapshot text, when one was built: the estimate that spares building one per update. */
  readonly snapshotLength?: number;
}

export interface Update {
  /** The serialized message to send to every socket of the audience. */
  readonly text: string;
  readonly sent: Sent;
}

/**
 * The message that brings an audience from `sent` to `view` at `version`: a patch, or a snapshot
 * when that is shorter. Undefined when the audience's view did not change, unless `always`: then an
 * unchanged view gets a patch with no ops (an update that only carries its sockets' acks). `memo`: one per
 * broadcast, shared by its audiences (see DiffMemo).
 */
export function updateFor(sent: Sent, view: unknown, version: number, always = false, memo?: DiffMemo): Update | undefined {
  const { ops, text } = sent.view === view ? NO_CHANGE : patchOf(sent.view, view, memo);
  if (ops.length === 0) {
    if (!always) return undefined;
    return { text: patchText(sent.version, version, text), sent: { ...sent, version } };
  }
  const patch = patchText(sent.version, version, text);
  // A patch under half the last snapshot is taken without serializing the whole view again: with a large static
  // part, that serialization would be most of the tick's cost. A view that shrank fast costs some bytes, never correctness.
  if (sent.snapshotLength !== undefined && patch.length * 2 < sent.snapshotLength) {
    return { text: patch, sent: { version, view, snapshotLength: sent.snapshotLength } };
  }
  const snapshot = snapshotText({ version, view });
  return { text: snapshot.length < patch.length ? snapshot : patch, sent: { version, view, snapshotLength: snapshot.length } };
}

const NO_CHANGE: Patch = { ops: [], text: "[]" };

// The compiler checks the patch's type name against the protocol; every update is built around it, so once.
const PATCH: PatchMessage["type"] = "patch";

/** `JSON.stringify` of a patch message, around the text of its ops that the diff built. */
const patchText = (from: number, to: number, ops: string): string => `{"type":"${PATCH}","from":${from},"to":${to},"ops":${ops}}`;

/** A snapshot's text; large unchanged parts of the view reuse their text from earlier snapshots (see view-text.ts). */
export function snapshotText(sent: Sent): string {
  const message = { type: "snapshot", version: sent.version, view: sent.view } satisfies SnapshotMessage;
  return `{"type":"${message.type}","version":${message.version},"view":${viewText(message.view)}}`;
}
