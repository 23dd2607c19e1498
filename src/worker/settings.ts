// Every server-side limit and timing, with its default, in one place.
import type { Game } from "../engine/define-game.ts";
import { SEQ_WINDOW } from "../protocol/limits.ts";

export const settings = {
  /** Largest WebSocket message accepted, in UTF-8 bytes; checked before parsing. */
  maxMessageBytes: 4096,
  /** Most ticks one wake (an alarm, or the tick timer) may run to catch up after it came late; older ticks are dropped. */
  maxCatchUpTicks: 4,
  /**
   * While a room ticks, an in-memory timer drives its ticks and the alarm is only a watchdog this far ahead,
   * rewritten once less than a second of it is left (one write about every 2 s instead of one per tick). If the
   * instance dies, the watchdog (or any request) starts the loop again within this long; ticks missed meanwhile
   * beyond `maxCatchUpTicks` are dropped. Keep it well over a second: at a second or less every tick rewrites it.
   */
  tickWatchdogMs: 3000,
  /**
   * Steps kept in a match's replay log (a step is a tick, or an action batch). A match that runs longer
   * stops logging and has no replay (`replay_unavailable`); every turn-based match of the shipped games fits,
   * and 2,000 steps are 100 s of a 20 Hz game. After that the room keeps only its checkpoint and the steps
   * since it (a ring of `checkpointRows` rows), which is all a wake needs.
   */
  maxReplaySteps: 2000,
  /**
   * A realtime room stores its steps in batches, one row each (docs/lifecycle.md, "Storage"): a step with an action
   * is stored at the latest this many ticks after its own, and its ack waits for that write, so an action is
   * acknowledged at most `flushActionTicks - 1` ticks after it was applied (1: every step is stored before it is
   * sent, one row per tick under steady input). A step with a seat change, a deadline or an end, and every step of a
   * turn-based game, is stored at once. 3: under steady input one row per 3 ticks (rows written are the largest line
   * of a realtime room's bill, docs/costs.md), and an ack 100 ms after the update that showed the action; what a
   * player sees is not held back, since the update itself carries `applied`.
   */
  flushActionTicks: 3,
  /** Ticks without any action stored together in one row: at most what a crash may take back of an idle room (nothing acknowledged). */
  flushIdleTicks: 40,
  /**
   * Journal rows after which a row also holds the whole record (a checkpoint); a wake runs at most this many rows of
   * steps again, and a code change that bumps the game's version resumes from the latest checkpoint.
   */
  checkpointRows: 20,
  /** Steps in one page of `GET /api/rooms/:id/replay`. */
  replayPageSteps: 500,
  /**
   * Largest serialized match record; workerd does not enforce the 2 MB value limit locally. A step that
   * would pass it is refused (`record_too_large`), a tick that would ends the match with reason `limit`.
   */
  maxRecordBytes: 1_000_000,
  /** Messages a socket may send per second, on average... */
  messagesPerSecond: 30,
  /** ...and in one burst. Messages past the limit are dropped unparsed with a `rate_limited` error (at most one a second). */
  messageBurst: 60,
  /** Refused messages, net of what the rate forgives, after which the socket is closed (`closes.flooding`). */
  abusePenalty: 300,
  /** Chat lines a socket may send per second, on average, and in one burst; more are refused with `chat_rate_limited`. */
  chatPerSecond: 1,
  chatBurst: 5,
  /** Actions one player may have waiting for the next tick; more are refused with `rate_limited`. */
  maxActionsPerTick: 64,
  /** How far ahead of the last processed seq an action may be. */
  seqWindow: SEQ_WINDOW,
  /** Default join ticket lifetime; the TICKET_TTL_SECONDS var overrides it. */
  ticketTtlSeconds: 15,
  /** Updates kept per audience so a reconnecting client can resume with exactly the patches it missed. */
  resumeUpdates: 64,
  /** How long a dropped player's seat is held (they show as away) before they leave; RECONNECT_GRACE_SECONDS overrides it. */
  reconnectGraceSeconds: 30,
  /**
   * A socket that sent no message and no heartbeat for this long is closed (`closes.idle`); a player's seat is
   * then held as for any dropped socket. IDLE_TIMEOUT_SECONDS overrides it.
   */
  idleTimeoutSeconds: 60,
  /**
   * Bytes a socket that reports `seen` may be sent beyond the last version it reported before it gets no
   * more updates (replies stop at twice this). About 2 s of the heaviest stream measured (64 moving players,
   * bench preset: 131 KB/s) and 8 s of a full default arena (33 KB/s), so a client reporting once a second
   * stays inside it; small next to the object's 128 MB: 128 stalled sockets hold at most 32 MiB of updates.
   */
  maxUnreadBytes: 256 * 1024,
  /**
   * Resyncs one socket may have granted: one per this many ms; sooner ones are answered `resync_limited`.
   * A resync is a whole snapshot for a 17-byte request, so unmetered it is an amplifier.
   */
  resyncIntervalMs: 1000,
  /**
   * Messages at least this long go compressed to sockets that asked for frames (`?frames=deflate`, as the SDK does):
   * a realtime update is compressed once for its whole audience. Shorter ones go as text: DEFLATE gains nothing on them.
   */
  compressFromChars: 128,
  /** How long an ended room keeps its storage (for replays) before it clears itself; ROOM_RETENTION_SECONDS overrides it. */
  retentionSeconds: 3600,
  /**
   * A match with seated players none of whom is connected for this long ends as abandoned (then clears after
   * the retention). ABANDON_AFTER_SECONDS or a game's `settings.abandonAfterSeconds` overrides it.
   */
  abandonAfterSeconds: 300,
  /** A room nobody has joined is disposed this long after its last ticket could have been used. */
  unusedRoomMarginSeconds: 60,
  /** Most spectator sockets per room. */
  maxSpectators: 64,
  /** Browser origins allowed besides the Worker's own while DEV_MODE is "on" (never in a deployment); ALLOWED_ORIGINS adds more. */
  devOrigins: ["http://127.0.0.1:8787", "http://localhost:8787"],
  /** Longest player name, in characters (code points, after NFC normalization). */
  maxNameLength: 24,
  /** Shortest TICKET_SECRET (and INSPECTOR_SECRET) accepted; without one the Worker refuses unless DEV_MODE is "on". */
  minSecretLength: 32,
  /**
   * Requests per client address (CF-Connecting-IP) and period, mirrored from wrangler.toml's [[ratelimits]]
   * (the binding holds the numbers; these give Retry-After and the docs, and a test checks they agree).
   * `seat` is keyed by address and room: with tickets living at most `maxTicketTtlSeconds`, it caps the
   * reservations one address holds in one room at once.
   */
  rateLimits: {
    create: { binding: "CREATE_LIMITER", limit: 10, periodSeconds: 60 },
    matchmake: { binding: "MATCHMAKE_LIMITER", limit: 30, periodSeconds: 60 },
    join: { binding: "JOIN_LIMITER", limit: 30, periodSeconds: 60 },
    code: { binding: "CODE_LIMITER", limit: 10, periodSeconds: 60 },
    seat: { binding: "SEAT_LIMITER", limit: 2, periodSeconds: 60 },
    read: { binding: "READ_LIMITER", limit: 600, periodSeconds: 60 },
  },
  /** Longest ticket lifetime TICKET_TTL_SECONDS may set: no longer than the seat limit's period, so that limit caps held reservations. */
  maxTicketTtlSeconds: 60,
  /**
   * Public rooms one matchmaker shard keeps in its pool; past it, the shard sends quick play to a sibling, and
   * `POST /api/rooms` is refused with `pool_full` when every shard of the region is full.
   */
  maxPoolRooms: 1000,
  /** An empty public room (nobody seated or reserved) that reported nothing for this long leaves the pool. */
  emptyRoomPoolSeconds: 600,
  /** Rooms per page of `GET /api/rooms` by default, and at most. */
  listPageSize: 20,
  maxListPageSize: 50,
  /** How long a guest token lasts; a browser that keeps it is the same guest for this long. */
  guestTokenDays: 365,
  /** Longest identity token (a provider's JWT) read from a request, in characters. */
  maxIdentityTokenBytes: 8192,
  /** A provider's key set is refetched after this long... */
  jwksCacheSeconds: 600,
  /** ...or, for a `kid` it does not hold (the provider rotated its keys), at most this often. */
  jwksRefetchSeconds: 30,
  /** Bounds on a fetched key set: its size, its keys, and how long the fetch may take. */
  maxJwksBytes: 64 * 1024,
  maxJwksKeys: 20,
  jwksFetchTimeoutMs: 5000,
  /** Matches per page of `GET /api/players/:id/matches` and players per page of `GET /api/leaderboard`, by default and at most. */
  resultsPageSize: 20,
  maxResultsPageSize: 50,
  /** Largest match result (the game's `endIf` value, as JSON) stored in D1; a bigger one is stored as null. */
  maxStoredResultBytes: 4096,
  /** Largest replay kept in D1 after the room clears its storage (REPLAYS = "d1"); a bigger one keeps no replay. */
  maxStoredReplayBytes: 512 * 1024,
  /** Sharded matchmaking (docs/scaling.md): shards per game and region, their load, parties and skill windows. */
  matchmaking: {
    /** Most matchmaker shards per game and region (`<game>:<region>:<index>`, index 0..maxShards-1). */
    maxShards: 8,
    /**
     * Requests per second one shard should carry: a shard that answers with more makes the Worker spread that
     * game and region over more shards (never more than `maxShards`). A quarter of the ~1,000/s an object handles.
     */
    targetShardRps: 250,
    /** Past this many requests in its last second a shard refuses quick play with a spill, and the Worker asks a sibling. */
    hotShardRps: 600,
    /** The region of a request that carries no `request.cf` continent (local dev, tests): shards with no location hint. */
    defaultRegion: "local",
    /** Most members of a party; a party larger than a game's room is refused with `party_too_large` when it queues. */
    maxPartySize: 4,
    /** A party's code stops working this long after the party was made. */
    partyTtlSeconds: 1800,
    /** The rating of a player the identity does not rate (guests). */
    guestRating: 1500,
    /**
     * Games whose quick play matches by rating: a room takes a player only while the spread of ratings in it
     * stays within `window` + `widenPerSecond` × the room's age in seconds; after `maxWaitSeconds` any seat will do.
     */
    skill: {
      arena: { window: 100, widenPerSecond: 30, maxWaitSeconds: 10 },
    } as Readonly<Record<string, SkillWindow>>,
  },
} as const;

/** A game's skill window (see `settings.matchmaking.skill`). */
export interface SkillWindow {
  readonly window: number;
  readonly widenPerSecond: number;
  readonly maxWaitSeconds: number;
}

/**
 * Whether the dev inspector's page and routes answer: the INSPECTOR var is "off" in wrangler.toml and
 * `npm run dev` passes `--var INSPECTOR:on`. Typed from wrangler.toml's literal, which `--var` overrides.
 */
export const inspectorOn = (env: Env): boolean => (env.INSPECTOR as string) === "on";

/** A room's timings in milliseconds: each from the game's own `settings`, else the deployment's var, else the default. */
export interface RoomSettings {
  readonly ticketTtlMs: number;
  readonly reconnectGraceMs: number;
  readonly retentionMs: number;
  readonly idleTimeoutMs: number;
  readonly abandonAfterMs: number;
  /** How long a room that nobody ever joined lives: a ticket's lifetime plus `unusedRoomMarginSeconds`. */
  readonly unusedRoomMs: number;
}

/** Seconds from a var: a number ≥ 0 (0 included), or the fallback when the var is unset, empty or not a number. */
function secondsOf(value: string | undefined, fallback: number, min = 0): number {
  const seconds = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= min ? seconds : fallback;
}

/** Built once per room (and per request in the Worker, which only needs the ticket lifetime). */
export function roomSettings(env: Env, game?: Game): RoomSettings {
  const own = game?.settings ?? {};
  // 0 means "at once" where that makes sense (grace, retention, abandonment); a ticket or an idle timeout of 0
  // would refuse every ticket or close every socket, so those need at least a second.
  const ms = (gameValue: number | undefined, value: string | undefined, fallback: number, min = 0) => 1000 * (gameValue ?? secondsOf(value, fallback, min));
  const ticketTtlMs = Math.min(ms(undefined, env.TICKET_TTL_SECONDS, settings.ticketTtlSeconds, 1), 1000 * settings.maxTicketTtlSeconds);
  return {
    ticketTtlMs,
    reconnectGraceMs: ms(own.reconnectGraceSeconds, env.RECONNECT_GRACE_SECONDS, settings.reconnectGraceSeconds),
    retentionMs: ms(undefined, env.ROOM_RETENTION_SECONDS, settings.retentionSeconds),
    idleTimeoutMs: ms(own.idleTimeoutSeconds, env.IDLE_TIMEOUT_SECONDS, settings.idleTimeoutSeconds, 1),
    abandonAfterMs: ms(own.abandonAfterSeconds, env.ABANDON_AFTER_SECONDS, settings.abandonAfterSeconds),
    unusedRoomMs: ticketTtlMs + 1000 * settings.unusedRoomMarginSeconds,
  };
}
