// Turn one raw WebSocket frame into a validated client message or a typed error, changing nothing.
import { z } from "zod";
import type { Game } from "./define-game.ts";
import { parseWith } from "./plain-check.ts";
import { errorBody, type ErrorBody } from "../protocol/errors.ts";
import { clientMessage, type ActionMessage, type ClientMessage } from "../protocol/messages.ts";

export type Inbound = { ok: true; message: ClientMessage } | { ok: false; error: ErrorBody };

const encoder = new TextEncoder();

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * A string's size in UTF-8 bytes, what a WebSocket text frame carries. Every update is measured for its socket's
 * read receipts, and JSON text is almost always ASCII, where the size is the length: no encoded copy is made then.
 */
export const utf8Bytes = (text: string): number => (NON_ASCII.test(text) ? encoder.encode(text).byteLength : text.length);

/** UTF-8 length without encoding when the answer is clear from the UTF-16 length alone. */
const exceeds = (text: string, maxBytes: number): boolean =>
  text.length > maxBytes || (text.length * 3 > maxBytes && utf8Bytes(text) > maxBytes);

const describe = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");

/** Keys that reach an object's prototype machinery when merged or copied by careless code. */
const FORBIDDEN_NAMES = ["__proto__", "constructor", "prototype"];
const FORBIDDEN_KEYS = new Set(FORBIDDEN_NAMES);

/**
 * Whether a frame's text could hold a forbidden key: a JSON string without a backslash is its text verbatim, so a
 * frame with no escape and none of the keys' names holds none of them, and its parsed value need not be walked.
 */
const mayHoldForbiddenKey = (text: string): boolean => text.includes("\\") || FORBIDDEN_NAMES.some((key) => text.includes(key));

/**
 * The path of the first forbidden key anywhere in a parsed message, if any. JSON.parse makes `__proto__` an
 * own property, which zod's object schemas silently drop, so it is looked for before any schema runs. The
 * size gate bounds the walk: a 4 KiB frame holds at most ~2,000 values.
 */
function forbiddenKey(value: object): string[] | undefined {
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return [key];
    const child = (value as Record<string, unknown>)[key];
    // The path is built only for a key found: a clean frame (every input, 20 a second per player) makes no strings.
    const found = typeof child === "object" && child !== null ? forbiddenKey(child) : undefined;
    if (found !== undefined) return [key, ...found];
  }
  return undefined;
}

/**
 * The action envelope checked by hand, for the one message a realtime game gets 20 times a second per player: zod
 * runs without code generation in Workers (no eval), so its interpreter was most of an input's cost. It accepts
 * exactly what `actionMessage` accepts (its four keys and their bounds); anything else goes to zod, which also
 * words the error.
 */
export function plainAction(json: unknown): ActionMessage | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const { type, seq, action, payload } = json as Record<string, unknown>;
  if (type !== "action" || Object.keys(json).length !== 4) return undefined;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  if (typeof action !== "string" || action.length < 1 || action.length > 64) return undefined;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
  return { type, seq, action, payload: payload as Record<string, unknown> };
}

const seqOf = (json: unknown): number | undefined => {
  const seq = typeof json === "object" && json !== null ? (json as { seq?: unknown }).seq : undefined;
  return Number.isSafeInteger(seq) ? (seq as number) : undefined;
};

export function parseInbound<S, C, V>(game: Game<S, C, V>, frame: string | ArrayBuffer, maxBytes: number): Inbound {
  if (typeof frame !== "string") return { ok: false, error: errorBody("binary_unsupported") };
  // The size gate comes before any parse, so an oversize frame costs no JSON work.
  if (exceeds(frame, maxBytes)) return { ok: false, error: errorBody("message_too_large", { detail: `limit ${maxBytes} bytes` }) };
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { ok: false, error: errorBody("bad_json") };
  }
  const forbidden = typeof json === "object" && json !== null && mayHoldForbiddenKey(frame) ? forbiddenKey(json)?.join(".") : undefined;
  if (forbidden !== undefined) {
    const seq = seqOf(json);
    return { ok: false, error: errorBody("invalid_payload", { ...(seq === undefined ? {} : { seq }), detail: `${forbidden}: forbidden key` }) };
  }
  let message: ClientMessage | undefined = plainAction(json);
  if (message === undefined) {
    const parsed = clientMessage.safeParse(json);
    if (!parsed.success) return { ok: false, error: errorBody("bad_message", { detail: describe(parsed.error) }) };
    message = parsed.data;
  }
  if (message.type !== "action") return { ok: true, message };
  const definition = Object.hasOwn(game.actions, message.action) ? game.actions[message.action] : undefined;
  if (!definition) return { ok: false, error: errorBody("unknown_action", { seq: message.seq, detail: message.action }) };
  const payload = parseWith(definition.schema, message.payload);
  if (!payload.success) {
    return { ok: false, error: errorBody("invalid_payload", { seq: message.seq, detail: describe(payload.error) }) };
  }
  return { ok: true, message: { ...message, payload: payload.data } };
}
