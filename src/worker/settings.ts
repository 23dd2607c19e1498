// Every server-side limit and timing, with its default, in one place.
import { SEQ_WINDOW } from "../protocol/limits.ts";

export const settings = {
  /** Largest WebSocket message accepted, in UTF-8 bytes; checked before parsing. */
  maxMessageBytes: 4096,
  /** Most ticks one alarm may run to catch up after it fired late; older ticks are dropped. */
  maxCatchUpTicks: 4,
  /** Write a full checkpoint every this many logged steps (a step is a tick, or an action batch); loading replays at most this many. */
  checkpointEverySteps: 200,
  /** Largest serialized match record; workerd does not enforce the 2 MB value limit locally. */
  maxRecordBytes: 1_000_000,
  /** Messages a socket may send per second, on average... */
  messagesPerSecond: 30,
  /** ...and in one burst. Messages past the limit are dropped unparsed with a `rate_limited` error (at most one a second). */
  messageBurst: 60,
  /** Refused messages, net of what the rate forgives, after which the socket is closed (`closes.flooding`). */
  abusePenalty: 300,
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
  /** How long an ended room keeps its storage (for replays) before it clears itself; ROOM_RETENTION_SECONDS overrides it. */
  retentionSeconds: 3600,
  /** Most spectator sockets per room. */
  maxSpectators: 64,
  /** Browser origins always allowed besides the Worker's own; ALLOWED_ORIGINS adds more. */
  devOrigins: ["http://127.0.0.1:8787", "http://localhost:8787"],
  /** Longest player name, in characters. */
  maxNameLength: 24,
} as const;

/**
 * Whether the dev inspector's page and routes answer: the INSPECTOR var is "off" in wrangler.toml and
 * `npm run dev` passes `--var INSPECTOR:on`. Typed from wrangler.toml's literal, which `--var` overrides.
 */
export const inspectorOn = (env: Env): boolean => (env.INSPECTOR as string) === "on";

/** Timings a deployment may override with vars (in seconds), in milliseconds; each falls back to its default. */
export function timings(env: Env): { ticketTtlMs: number; reconnectGraceMs: number; retentionMs: number; idleTimeoutMs: number } {
  const seconds = (value: string | undefined, fallback: number) => 1000 * (Number(value) || fallback);
  return {
    ticketTtlMs: seconds(env.TICKET_TTL_SECONDS, settings.ticketTtlSeconds),
    reconnectGraceMs: seconds(env.RECONNECT_GRACE_SECONDS, settings.reconnectGraceSeconds),
    retentionMs: seconds(env.ROOM_RETENTION_SECONDS, settings.retentionSeconds),
    idleTimeoutMs: seconds(env.IDLE_TIMEOUT_SECONDS, settings.idleTimeoutSeconds),
  };
}
