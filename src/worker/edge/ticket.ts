// Signed join tickets: HMAC-SHA-256 over the claims, a fixed algorithm with no header to negotiate.
import { z } from "zod";
import { CodedError } from "../../protocol/errors.ts";
import { PROTOCOL_VERSION } from "../../protocol/messages.ts";
import { playerName } from "./names.ts";

export const ticketClaims = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  room: z.string().max(64),
  pid: z.string().max(64),
  team: z.string().max(64),
  /** The same schema as every route's name, so the room reads a name exactly as the Worker checked it. */
  name: playerName,
  role: z.enum(["player", "spectator"]),
  /** Expiry, milliseconds since the epoch. */
  exp: z.int(),
  /** Unique ticket id. */
  jti: z.string().max(64),
});

export type TicketClaims = z.infer<typeof ticketClaims>;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

const keyFor = (secret: string): Promise<CryptoKey> => {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
};

const toBase64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

const fromBase64Url = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
};

export async function signTicket(claims: TicketClaims, secret: string): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The ticket's claims if it is authentic, unexpired and for `room`; otherwise throws a CodedError. */
export async function verifyTicket(
  ticket: string,
  secret: string,
  expected: { room: string; now: number },
): Promise<TicketClaims> {
  const [body, sig, ...rest] = ticket.split(".");
  const signature = sig === undefined ? undefined : fromBase64Url(sig);
  // Only the canonical encoding counts: another spelling of the same bytes would be a second, reusable ticket text.
  if (!body || !signature || rest.length > 0 || ticket.length > 2048 || toBase64Url(signature) !== sig) {
    throw new CodedError("bad_ticket", "malformed");
  }
  const valid = await crypto.subtle.verify("HMAC", await keyFor(secret), signature, encoder.encode(body));
  if (!valid) throw new CodedError("bad_ticket", "signature");
  let claims: TicketClaims;
  try {
    const bytes = fromBase64Url(body);
    claims = ticketClaims.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    throw new CodedError("bad_ticket", "claims");
  }
  if (claims.room !== expected.room) throw new CodedError("bad_ticket", "room");
  if (claims.exp <= expected.now) throw new CodedError("ticket_expired");
  return claims;
}
