// Guests: a signed guest token (HMAC under TICKET_SECRET, like tickets) that makes one browser one player everywhere.
import { z } from "zod";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { randomId } from "../http.ts";
import { settings } from "../settings.ts";
import { ticketSecret } from "./deployment.ts";
import { bearer, requested, userId, type Identify } from "./identity.ts";
import { openJson, signJson } from "./ticket.ts";

/** Guest names when the request gives none: "Guest" and four characters of the id. */
const guestName = (id: string): string => `Guest ${id.slice(2, 6)}`;


const GUEST_PURPOSE = "guest.";
const guestClaims = z.strictObject({ v: z.literal(1), uid: userId, exp: z.int() });

/** A fresh guest: a random id and its signed token (HMAC under TICKET_SECRET, like tickets, with its own purpose). */
export async function mintGuest(env: Env, now = Date.now()): Promise<{ userId: string; token: string }> {
  const id = `g_${randomId(16)}`;
  const token = await signJson({ v: 1, uid: id, exp: now + settings.guestTokenDays * 86_400_000 }, ticketSecret(env), GUEST_PURPOSE);
  return { userId: id, token };
}

/** The guest id a token proves, or the refusal. */
export async function openGuest(token: string, env: Env, now = Date.now()): Promise<string | ErrorBody> {
  const opened = await openJson(token, ticketSecret(env), GUEST_PURPOSE);
  if ("problem" in opened) return errorBody("identity_invalid", { detail: `guest token: ${opened.problem}` });
  const claims = guestClaims.safeParse(opened.value);
  if (!claims.success) return errorBody("identity_invalid", { detail: "guest token: claims" });
  if (claims.data.exp <= now) return errorBody("identity_expired", { detail: "guest token" });
  return claims.data.uid;
}

/**
 * Guests: a request without a token gets a new guest id and token (in `guestToken`), one with a token is that
 * guest again, in any room, after any reload. A token that is not authentic is refused, never replaced, so a
 * client cannot mistake a bug for a new player. The name is whatever the request asks for.
 */
export const guests =
  (): Identify =>
  async ({ headers, env, name }) => {
    const token = bearer(headers);
    if (token === undefined) {
      const minted = await mintGuest(env);
      return { userId: minted.userId, name: requested(name) ?? guestName(minted.userId), verified: false, guestToken: minted.token };
    }
    const id = await openGuest(token, env);
    return typeof id === "string" ? { userId: id, name: requested(name) ?? guestName(id), verified: false } : id;
  };

