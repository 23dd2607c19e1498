// Every WebSocket close code the template sends or reports, and whether a client should come back after it.
//
// The room closes with these, and the SDK's reconnect policy reads `reconnect` from this same table, so
// the two cannot disagree. 4000-4999 are the application's range (RFC 6455 §7.4.2).

export const closes = {
  /** The client left (or the room acknowledged a socket that closed itself). */
  left: { code: 1000, reconnect: false, meaning: "left" },
  /** No close frame arrived: a network drop, or an upgrade the server refused (a browser sees no status). */
  abnormal: { code: 1006, reconnect: true, meaning: "connection lost" },
  /** The socket kept flooding past the abuse penalty. */
  flooding: { code: 1008, reconnect: false, meaning: "kicked for flooding" },
  /** A send to the socket failed, or a message came before the room had loaded. */
  serverError: { code: 1011, reconnect: true, meaning: "server error" },
  /** Client side: the SDK dropped the connection to start a fresh one (a missed heartbeat, `reconnect()`). */
  dropped: { code: 4000, reconnect: true, meaning: "reconnecting" },
  /** A newer connection took this player's seat. */
  replaced: { code: 4001, reconnect: false, meaning: "replaced by another connection" },
  /** The room's retention period after the match ended is over: it cleared itself. */
  roomClosed: { code: 4002, reconnect: false, meaning: "room closed" },
  /** Nothing heard from the socket, not even a heartbeat, for the idle timeout. */
  idle: { code: 4003, reconnect: true, meaning: "idle" },
  /** Client side only: the seat is gone (grace period over, room closed), so coming back cannot help. */
  seatGone: { code: 4410, reconnect: false, meaning: "seat gone" },
} as const satisfies Record<string, { code: number; reconnect: boolean; meaning: string }>;

export type CloseName = keyof typeof closes;
/** The codes a room closes sockets with; the others only a client observes or uses itself. */
export type ServerCloseName = Exclude<CloseName, "abnormal" | "dropped" | "seatGone">;
export type CloseCode = (typeof closes)[CloseName]["code"];

const byCode: ReadonlyMap<number, (typeof closes)[CloseName]> = new Map(Object.values(closes).map((close) => [close.code, close]));

/** The entry for a code a socket closed with; undefined for a code this template never uses. */
export const closeOf = (code: number): (typeof closes)[CloseName] | undefined => byCode.get(code);

/** Whether coming back can help after `code`; a code this table does not know is treated as a network fault. */
export const shouldReconnect = (code: number): boolean => closeOf(code)?.reconnect ?? true;
