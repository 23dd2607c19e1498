// Turn one raw WebSocket frame into a validated client message or a typed error, changing nothing.
import { z } from "zod";
import type { Game } from "./define-game.ts";
import { errorBody, type ErrorBody } from "../protocol/errors.ts";
import { clientMessage, type ClientMessage } from "../protocol/messages.ts";

export type Inbound = { ok: true; message: ClientMessage } | { ok: false; error: ErrorBody };

const encoder = new TextEncoder();

/** A string's size in UTF-8 bytes, what a WebSocket text frame carries. */
export const utf8Bytes = (text: string): number => encoder.encode(text).byteLength;

/** UTF-8 length without encoding when the answer is clear from the UTF-16 length alone. */
const exceeds = (text: string, maxBytes: number): boolean =>
  text.length > maxBytes || (text.length * 3 > maxBytes && utf8Bytes(text) > maxBytes);

const describe = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");

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
  const parsed = clientMessage.safeParse(json);
  if (!parsed.success) return { ok: false, error: errorBody("bad_message", { detail: describe(parsed.error) }) };
  const message = parsed.data;
  if (message.type !== "action") return { ok: true, message };
  const definition = Object.hasOwn(game.actions, message.action) ? game.actions[message.action] : undefined;
  if (!definition) return { ok: false, error: errorBody("unknown_action", { seq: message.seq, detail: message.action }) };
  const payload = definition.schema.safeParse(message.payload);
  if (!payload.success) {
    return { ok: false, error: errorBody("invalid_payload", { seq: message.seq, detail: describe(payload.error) }) };
  }
  return { ok: true, message: { ...message, payload: payload.data } };
}
