// Limits both sides hold to; no zod here, so the SDK can import them at run time.

/**
 * How far ahead of the last processed seq an action may be: the room refuses one further ahead with
 * `seq_out_of_window`, so the SDK keeps at most this many unacknowledged actions and refuses more itself.
 */
export const SEQ_WINDOW = 256;

/** Longest chat line, in characters (code points) after NFC normalization and trimming. */
export const CHAT_MAX_LENGTH = 280;

/** Chat lines a room keeps per channel (`all`, each team's `team`, and all whispers together). */
export const CHAT_HISTORY = 50;
