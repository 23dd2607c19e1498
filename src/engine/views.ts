// Audiences and what each is sent: project the record per audience, then diff against what it holds.
import type { Game, PlayerInfo } from "./define-game.ts";
import { configOf, playerInfo, type MatchRecord } from "./match.ts";
import { diff } from "./patch.ts";
import type { PatchMessage, SnapshotMessage } from "./protocol.ts";

/** Socket tag of an audience: `team:<team>` or, for games with a player view, `player:<id>`. */
export type AudienceKey = `team:${string}` | `player:${string}`;

export const playerTag = (id: string): AudienceKey => `player:${id}`;
export const teamTag = (team: string): AudienceKey => `team:${team}`;

export const audienceOf = <S, C, V>(game: Game<S, C, V>, player: PlayerInfo): AudienceKey =>
  game.hasPlayerView ? playerTag(player.id) : teamTag(player.team);

/** The audiences a record has: every team, plus every seated player when the game has player views. */
export function audiencesOf<S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>): AudienceKey[] {
  if (!game.hasPlayerView) return game.teams.map(teamTag);
  return Object.keys(record.players).map(playerTag);
}

export function viewFor<S, C, V>(game: Game<S, C, V>, record: MatchRecord<S>, audience: AudienceKey): V {
  const config = configOf(game, record);
  const [kind, id] = splitKey(audience);
  if (kind === "team") return game.teamView(record.state, id, config);
  // A player who has left is projected as an unseated member of no team.
  const player = playerInfo(record, id) ?? { id, name: "", team: "" };
  return game.playerView(record.state, player, config);
}

const splitKey = (key: AudienceKey): ["team" | "player", string] => {
  const at = key.indexOf(":");
  return [key.slice(0, at) as "team" | "player", key.slice(at + 1)];
};

/** What an audience was last sent: the view, and the version its clients hold. */
export interface Sent {
  readonly version: number;
  readonly view: unknown;
}

export interface Update {
  /** The serialized message to send to every socket of the audience. */
  readonly text: string;
  readonly sent: Sent;
}

/**
 * The message that brings an audience from `sent` to `view` at `version`: a patch, or a snapshot
 * when that is shorter. Undefined when the audience's view did not change.
 */
export function updateFor(sent: Sent, view: unknown, version: number): Update | undefined {
  if (sent.view === view) return undefined;
  const ops = diff(sent.view, view);
  if (ops.length === 0) return undefined;
  const patch = JSON.stringify({ type: "patch", from: sent.version, to: version, ops } satisfies PatchMessage);
  const snapshot = snapshotText({ version, view });
  return { text: snapshot.length < patch.length ? snapshot : patch, sent: { version, view } };
}

export const snapshotText = (sent: Sent): string =>
  JSON.stringify({ type: "snapshot", version: sent.version, view: sent.view } satisfies SnapshotMessage);
