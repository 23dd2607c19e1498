// Every error code the template emits, over HTTP or WebSocket, with its message and HTTP status.

export const errors = {
  // HTTP and upgrade
  invalid_request: { status: 400, message: "The request body or query does not match the schema." },
  invalid_room_id: { status: 400, message: "Room ids are 12 characters of a-z and 2-9, without l and o." },
  unknown_game: { status: 400, message: "No game is registered under that name." },
  unknown_preset: { status: 400, message: "The game has no preset of that name." },
  bad_ticket: { status: 401, message: "The join ticket is malformed, forged or for another room." },
  ticket_expired: { status: 401, message: "The join ticket has expired; ask for a new one." },
  ticket_used: { status: 401, message: "The join ticket has already been used; each ticket admits one connection." },
  reconnect_refused: { status: 401, message: "The reconnect token is unknown, already used, or its seat was given up." },
  origin_not_allowed: { status: 403, message: "Requests from this Origin are not allowed." },
  invalid_code: { status: 400, message: "Join codes are 6 characters of A-Z and 2-9, without I, L and O." },
  room_not_found: { status: 404, message: "No room has been created under that id." },
  room_full: { status: 409, message: "Every seat in the room is taken." },
  room_ended: { status: 409, message: "The match in this room has ended." },
  join_in_progress: { status: 409, message: "This game takes no new players once its match is in progress." },
  match_live: { status: 409, message: "The match is still being played; its replay is served once it has ended." },
  replay_unavailable: { status: 410, message: "The match outgrew its replay log (maxReplaySteps), so it has no replay." },
  record_too_large: { status: 507, message: "The match record reached its size budget; the change was refused and the room runs on." },
  upgrade_required: { status: 426, message: "This endpoint only accepts WebSocket upgrades." },
  not_found: { status: 404, message: "No such route." },
  inspector_off: { status: 404, message: "The dev inspector is off; `npm run dev` turns it on (the INSPECTOR var)." },
  invalid_name: { status: 400, message: "Names are 1-24 characters with at least one visible one, and no control, bidi or unpaired surrogate characters." },
  server_misconfigured: {
    status: 503,
    message: "The server is not set up for public use: a secret or binding is missing (the detail says which). Nothing was done.",
  },
  pool_full: { status: 503, message: "This game has as many open public rooms as it may list; join one or try again later." },
  party_not_found: { status: 404, message: "No party has that code, or it has expired." },
  party_full: { status: 409, message: "The party has as many members as it may (maxPartySize)." },
  party_too_large: { status: 409, message: "The party has more members than one room of this game and preset seats." },
  party_busy: { status: 409, message: "The party is being placed in a room right now; ask again in a moment." },
  not_party_leader: { status: 403, message: "Only the party's leader can queue it; members wait for their seats." },
  not_party_member: { status: 403, message: "The member token is not one of this party's." },
  matchmaking_busy: { status: 503, message: "Every matchmaker shard of this game and region is over its request rate; try again in a second." },
  invalid_region: { status: 400, message: "Regions are the location hints wnam, enam, sam, weur, eeur, apac, oc, afr, me, or local." },
  inspector_locked: { status: 401, message: "The dev inspector needs its credential (INSPECTOR_SECRET) outside `npm run dev`; sign in at /inspect." },
  identity_required: { status: 401, message: "This server needs a signed-in player: send the provider's token as `Authorization: Bearer <token>`." },
  identity_invalid: { status: 401, message: "The identity token is malformed, forged, or not for this server (the detail says which check failed)." },
  identity_expired: { status: 401, message: "The identity token has expired; sign in again (a guest: drop the stored guest token)." },
  identity_unavailable: { status: 503, message: "The identity provider's signing keys could not be fetched; nothing was done. Try again." },
  user_banned: { status: 403, message: "This player is banned from this server." },
  spectating_off: { status: 403, message: "This game does not allow spectators." },
  internal_error: { status: 500, message: "The server failed; the state is unchanged." },
  // WebSocket messages (status is what the same refusal would be over HTTP)
  binary_unsupported: { status: 400, message: "Binary frames are not accepted; send JSON text." },
  message_too_large: { status: 413, message: "The message exceeds the size limit." },
  bad_json: { status: 400, message: "The message is not valid JSON." },
  bad_message: { status: 400, message: "The message does not match the protocol." },
  unknown_action: { status: 400, message: "The game has no action of that name." },
  invalid_payload: { status: 400, message: "The action payload does not match its schema." },
  rate_limited: {
    status: 429,
    message: "Too many requests; slow down. Over HTTP, retry after the Retry-After seconds; on a socket, messages over the limit were dropped.",
  },
  seq_out_of_window: { status: 409, message: "The action seq is too far ahead of the last one applied." },
  not_a_player: { status: 403, message: "Only seated players can act." },
  match_ended: { status: 409, message: "The match has ended; it takes no more actions." },
  rejected: { status: 409, message: "The game refused the action." },
  resync_limited: { status: 429, message: "At most one resync a second per socket; ask again after the delay in `detail` (ms)." },
  // Chat (docs/chat.md); short enough to show as they are, `detail` carries the specifics.
  chat_disabled: { status: 403, message: "That chat channel is off in this game, or closed to you." },
  invalid_chat: { status: 400, message: "Chat lines are 1-280 characters with a visible one, and no control, bidi or unpaired surrogate characters." },
  unknown_recipient: { status: 400, message: "A whisper goes to one other seated player." },
  chat_rate_limited: { status: 429, message: "Too many chat lines; wait a moment before the next one." },
  chat_refused: { status: 409, message: "The room's moderation refused the line; nobody saw it." },
  action_failed: { status: 500, message: "The action failed on the server; the state is unchanged." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errors;

/** The one error shape, on the wire and in HTTP bodies. */
export interface ErrorBody {
  readonly type: "error";
  readonly code: ErrorCode;
  readonly message: string;
  /** The action seq the error answers, when it answers one. */
  readonly seq?: number;
  /** Detail: the game's reason for `rejected`, the schema issue for `invalid_payload`, ... */
  readonly detail?: string;
}

export function errorBody(code: ErrorCode, extra: { seq?: number; detail?: string } = {}): ErrorBody {
  return { type: "error", code, message: errors[code].message, ...extra };
}

/** A thrown error that carries a code, for the few places where throwing is the natural exit. */
export class CodedError extends Error {
  // Plain fields, not parameter properties: Node runs this file by stripping types, which cannot rewrite those.
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
    this.detail = detail;
  }
}
