// Signed join tickets: HMAC-SHA-256 over the claims, a fixed algorithm with no header to negotiate.
import { z } from "zod";
import { CodedError } from "../../protocol/errors.ts";
import { PROTOCOL_VERSION } from "../../protocol/messages.ts";
import { playerName } from "./names.ts";

export const ticketClaims = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  room: z.string().max(64),
  /** The seat: the user id itself, or the game's per-match alias for it (GameSpec `playerIds`). */
  pid: z.string().max(128),
  /** The verified user behind the seat (src/worker/edge/identity.ts); the Worker always sets it. Absent: the seat id. */
  uid: z.string().max(128).optional(),
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

/**
 * `body.signature` over a JSON value. `purpose` separates token kinds signed with the same secret (tickets have
 * none, so older tickets stay valid), so a token of one kind never verifies as another.
 */
export async function signJson(value: unknown, secret: string, purpose = ""): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(value)));
  const signature = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(purpose + body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

/** The JSON a `signJson` token carries, or why it is not authentic: "malformed", "signature" or "claims" (not JSON). */
export async function openJson(token: string, secret: string, purpose = ""): Promise<{ value: unknown } | { problem: "malformed" | "signature" | "claims" }> {
  const [body, sig, ...rest] = token.split(".");
  const signature = sig === undefined ? undefined : fromBase64Url(sig);
  // Only the canonical encoding counts: another spelling of the same bytes would be a second, reusable token text.
  if (!body || !signature || rest.length > 0 || token.length > 2048 || toBase64Url(signature) !== sig) return { problem: "malformed" };
  const valid = await crypto.subtle.verify("HMAC", await keyFor(secret), signature, encoder.encode(purpose + body));
  if (!valid) return { problem: "signature" };
  try {
    return { value: JSON.parse(new TextDecoder().decode(fromBase64Url(body))) };
  } catch {
    return { problem: "claims" };
  }
}

export const signTicket = (claims: TicketClaims, secret: string): Promise<string> => signJson(claims, secret);

/** The ticket's claims if it is authentic, unexpired and for `room`; otherwise throws a CodedError. */
export async function verifyTicket(
  ticket: string,
  secret: string,
  expected: { room: string; now: number },
): Promise<TicketClaims> {
  const opened = await openJson(ticket, secret);
  if ("problem" in opened) throw new CodedError("bad_ticket", opened.problem);
  const parsed = ticketClaims.safeParse(opened.value);
  if (!parsed.success) throw new CodedError("bad_ticket", "claims");
  const claims = parsed.data;
  if (claims.room !== expected.room) throw new CodedError("bad_ticket", "room");
  if (claims.exp <= expected.now) throw new CodedError("ticket_expired");
  return claims;
}
