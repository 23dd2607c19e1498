// Who may open a socket in a room: a ticket's holder (once), or a seated player with a reconnect token.
import type { Game, PlayerId } from "../../../engine/define-game.ts";
import { errorBody, type ErrorBody } from "../../../protocol/errors.ts";
import { capacityOf, seatedPlayer, seatsTaken, type LogEntry, type MatchRecord } from "../../../engine/match.ts";
import { PROTOCOL_VERSION, type WelcomeMessage } from "../../../protocol/messages.ts";
import { audienceOf, SPECTATORS, type AudienceKey } from "../../../engine/updates/views.ts";
import { randomId } from "../../http.ts";
import type { RoomStorage } from "../storage/storage.ts";
import { settings } from "../../settings.ts";
import { joinable } from "../lifecycle.ts";
import type { TicketClaims } from "../../edge/ticket.ts";

/** Identity of a socket. Hibernation drops in-memory fields, so it lives in the socket attachment. */
export interface SocketIdentity {
  readonly role: "player" | "spectator";
  readonly playerId: PlayerId;
  readonly team: string;
  readonly audience: AudienceKey;
  /** A spectator's name, from its ticket (the identity's verified name for a signed-in one): spectators have no roster seat. */
  readonly name?: string;
}

export interface Admission {
  readonly identity: SocketIdentity;
  /** Seat changes to commit before the socket is accepted. */
  readonly entries: LogEntry[];
  /** For players: the token to reconnect with next time. Tokens rotate on every use. */
  readonly reconnectToken?: string;
}

export interface RoomState {
  readonly roomId: string;
  readonly game: Game;
  readonly record: MatchRecord;
  readonly storage: RoomStorage;
  readonly spectators: number;
}

/** Admit the holder of a verified ticket: each ticket once, and never past the room's capacity. */
export function admitTicket(room: RoomState, claims: TicketClaims): Admission | ErrorBody {
  const { record, storage } = room;
  if (claims.room !== room.roomId) return errorBody("bad_ticket");
  if (record.result !== undefined) return errorBody("room_ended");
  const full = claims.role === "spectator" ? room.spectators >= settings.maxSpectators : seatsTaken(record) >= capacityOf(room.game, record);
  const newcomer = claims.role === "player" && !seatedPlayer(record, claims.pid);
  if (full && (newcomer || claims.role === "spectator")) return errorBody("room_full");
  if (newcomer && !joinable(room.game, record)) return errorBody("join_in_progress");
  // Ticket expiry is wall-clock time set by the Worker, so it is checked against the same clock.
  if (!storage.useTicket(claims.jti, claims.exp, Date.now())) return errorBody("ticket_used");
  if (claims.role === "spectator") return { identity: { role: "spectator", playerId: claims.pid, team: "", audience: SPECTATORS, name: claims.name }, entries: [] };
  const player = { id: claims.pid, name: claims.name, team: claims.team };
  const entries: LogEntry[] = seatedPlayer(record, claims.pid) ? [] : [{ kind: "join", player: player.id, name: player.name, team: player.team, user: claims.uid ?? claims.pid }];
  return { identity: playerIdentity(room.game, player), entries, reconnectToken: rotateToken(storage, player.id) };
}

/** Readmit a seated player (connected elsewhere, or away within the grace period) by its reconnect token. */
export function admitReconnect(room: RoomState, token: string): Admission | ErrorBody {
  const playerId = room.storage.tokenOwner(token);
  const player = playerId === undefined ? undefined : seatedPlayer(room.record, playerId);
  if (!player) return errorBody("reconnect_refused");
  const entries: LogEntry[] = room.record.players[player.id]?.presence === "away" ? [{ kind: "back", player: player.id }] : [];
  return { identity: playerIdentity(room.game, player), entries, reconnectToken: rotateToken(room.storage, player.id, token) };
}

const playerIdentity = (game: Game, player: { id: string; name: string; team: string }): SocketIdentity => ({
  role: "player",
  playerId: player.id,
  team: player.team,
  audience: audienceOf(game, player),
});

function rotateToken(storage: RoomStorage, playerId: PlayerId, used?: string): string {
  const token = randomId(24);
  storage.setToken(playerId, token, used);
  return token;
}

/**
 * The first message on an admitted socket: who it is, and where to resume sending actions from: the seq storage
 * holds (`stored`, the journal's), never one only applied, since the SDK drops its outbox up to it.
 */
export const welcomeFor = (roomId: string, game: Game, record: MatchRecord, admission: Admission, stored: Readonly<Record<string, number>> = record.seqs): WelcomeMessage => ({
  type: "welcome",
  protocol: PROTOCOL_VERSION,
  roomId,
  game: game.name,
  role: admission.identity.role,
  playerId: admission.identity.playerId,
  team: admission.identity.team,
  tickHz: game.tickHz,
  lastSeq: stored[admission.identity.playerId] ?? 0,
  ...(admission.reconnectToken ? { reconnectToken: admission.reconnectToken } : {}),
});
