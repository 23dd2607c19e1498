// The JSON bodies of the HTTP API's answers: written once here, used by the Worker and the client SDK.

/** A seat (or a spectator's place) and the ticket to open `/rooms/:id/ws?ticket=…` with. */
export interface SeatGrant {
  readonly roomId: string;
  /** The game the room plays, so a client that followed a link or a code knows what it joined. */
  readonly game: string;
  /** The seat's id in this match: the user id, or a per-match alias when the game asks for one. */
  readonly playerId: string;
  /** Who the server took the request for: stable across rooms (docs/identity.md). */
  readonly userId: string;
  /** The name the room shows. */
  readonly name: string;
  readonly team: string;
  readonly role: "player" | "spectator";
  readonly ticket: string;
  /** Epoch ms after which the ticket is refused. */
  readonly expiresAt: number;
  /** A new guest's token, when this request minted one: keep it and send it as `Authorization: Bearer …` from now on. */
  readonly guestToken?: string;
}

/** `POST /api/rooms`: a new room; `code` is set when it is private. */
export interface CreatedRoom {
  readonly roomId: string;
  readonly code?: string;
  readonly game: string;
  readonly preset: string;
}

/** A public room with free seats, as `GET /api/rooms` lists it. */
export interface OpenRoom {
  readonly roomId: string;
  readonly preset: string;
  readonly players: number;
  readonly capacity: number;
  readonly phase: RoomPhase;
}

/** `GET /api/rooms?game=…[&cursor=…][&limit=…]`: one page of open public rooms, by room id; `next` is the cursor of the next page. */
export interface RoomPage {
  readonly rooms: readonly OpenRoom[];
  readonly next?: string;
}

/**
 * Where a room is in its life: `created` (nobody has joined yet), `waiting` (fewer than the game's
 * minimum), `playing`, `ended` (the game's end, a code change or the record's budget), `abandoned`
 * (nobody was connected for the abandonment time), `disposed` (its storage is cleared; only the
 * matchmaker hears this one).
 */
export type RoomPhase = "created" | "waiting" | "playing" | "ended" | "abandoned" | "disposed";

/** A room as its matchmaker and `GET /api/rooms/:id` see it. */
export interface RoomSummary {
  readonly roomId: string;
  /** The matchmaker shard that lists a public room (`<game>:<region>:<index>`). */
  readonly shard?: string;
  readonly game: string;
  readonly preset: string;
  readonly listed: boolean;
  readonly seated: number;
  /** Seats promised by tickets not yet used. */
  readonly reserved: number;
  readonly capacity: number;
  readonly phase: RoomPhase;
  /** Whether quick play may seat someone here: not ended, and not in progress unless the game takes players mid-match. */
  readonly joinable: boolean;
  /** The room's match version when it sent this: later summaries win. */
  readonly version: number;
}

/** `GET /api/rooms/:id`: the summary, every seat with its presence, and the room's cost counters. */
export interface RoomInfo extends RoomSummary {
  readonly players: { id: string; name: string; team: string; presence: "connected" | "away"; awayUntil?: number }[];
  /** Spectator sockets open now. */
  readonly spectators: number;
  readonly tick: number;
  /** Counters since the room's object was loaded; they reset on eviction. */
  readonly stats: {
    /** Alarm invocations, each billed as a request. */
    alarms: number;
    /** Wakes of the in-memory tick timer, which drives a ticking room's ticks and costs no request. */
    timerWakes: number;
    /** Alarm writes (`setAlarm`/`deleteAlarm`): a ticking room renews its watchdog about every 2 s. */
    alarmWrites: number;
    ticks: number;
    rowsWritten: number;
    messagesIn: number;
    messagesOut: number;
    /** Rows and bytes the room's storage holds now. */
    storedRows: number;
    storedBytes: number;
    /**
     * The serialized match record's size, against its budget (`maxRecordBytes`): for the inspector and tests
     * only, never on the public route, since it follows what the views hide (a hidden ship's orientation).
     */
    recordBytes?: number;
  };
}

/** `POST /api/identity`: who the server takes this client for (a new guest gets its token here). */
export interface IdentityAnswer {
  readonly userId: string;
  readonly name: string;
  readonly verified: boolean;
  readonly guestToken?: string;
}

/** How one player's match ended, read from the game's result (`{ winner }`: a team, a player id or "draw"). */
export type MatchOutcome = "win" | "loss" | "draw" | "none";

/** An ended match in a player's history, with everyone who played it. */
export interface PlayedMatch {
  readonly roomId: string;
  readonly game: string;
  readonly preset: string;
  readonly reason: string;
  readonly result: unknown;
  readonly startedAt: number | null;
  readonly endedAt: number;
  /** The outcome for the player whose history this is. */
  readonly outcome: MatchOutcome;
  readonly players: readonly { readonly userId: string; readonly name: string; readonly team: string; readonly outcome: MatchOutcome }[];
  /** Whether `GET /api/matches/:roomId/replay` serves its replay after the room is gone. */
  readonly replay: boolean;
}

/** `GET /api/players/:id/matches[?cursor=…][&limit=…]`: newest first; `next` is the cursor of the next page. */
export interface MatchPage {
  readonly matches: readonly PlayedMatch[];
  readonly next?: string;
}

/** One row of a game's leaderboard: ranked by wins, then draws, then user id. */
export interface Standing {
  readonly userId: string;
  readonly name: string;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
  readonly played: number;
  readonly lastPlayed: number;
}

/** `GET /api/leaderboard?game=…[&cursor=…][&limit=…]`. */
export interface LeaderboardPage {
  readonly game: string;
  readonly standings: readonly Standing[];
  readonly next?: string;
}

/** `POST /api/parties` and `POST /api/parties/:code/join`: a member's place in a party and the token that proves it. */
export interface PartyPass {
  readonly code: string;
  readonly game: string;
  readonly preset: string;
  readonly memberId: string;
  /** Secret to this member: it queues the party (the leader's) and fetches the member's seat. */
  readonly token: string;
}

/** `POST /api/parties/:code/state`: the party's members and, once it was placed, this member's seat. */
export interface PartyState {
  readonly code: string;
  readonly game: string;
  readonly preset: string;
  readonly members: readonly { readonly memberId: string; readonly name: string; readonly leader: boolean }[];
  /** `open` (gathering, or back from a match), `queued` (the leader is placing it now), `placed` (seats are waiting). */
  readonly status: "open" | "queued" | "placed";
  /** This member's seat while the party's placement is fresh (within a ticket's lifetime). */
  readonly seat?: SeatGrant;
}
