// Who is asking: guest tokens and provider JWTs turned into one Identity (or a typed refusal) before any Durable Object.
import type { MiddlewareHandler } from "hono";
import { verifyWithJwks } from "hono/utils/jwt/jwt";
import type { AsymmetricAlgorithm } from "hono/utils/jwt/jwa";
import type { HonoJsonWebKey } from "hono/utils/jwt/jws";
import { z } from "zod";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { errorResponse, randomId } from "../http.ts";
import { settings } from "../settings.ts";
import { ticketSecret } from "./deployment.ts";
import { playerName } from "./names.ts";
import { openJson, signJson } from "./ticket.ts";

/** A verified player, as every seat route sees it through `c.get("identity")`. */
export interface Identity {
  /** Stable across rooms, devices and reloads: a guest's `g_…` id or the provider's `sub`. */
  readonly userId: string;
  /** The name the room shows: the provider's (verified) or, for guests, the one the request gave. */
  readonly name: string;
  /** A skill rating, when the identity source has one (the matchmaker may use it). */
  readonly rating?: number;
  /** True when the name comes from the identity provider, false when the player typed it. */
  readonly verified: boolean;
  /** Set when this request minted a guest token: the client keeps it and sends it from now on. */
  readonly guestToken?: string;
}

/** What an identity hook gets: the request's headers, the deployment's env, and the name the body asked for. */
export interface IdentityRequest {
  readonly headers: Headers;
  readonly env: Env;
  readonly name: string | undefined;
}

export type Identify = (request: IdentityRequest) => Promise<Identity | ErrorBody>;

/**
 * User ids become seat ids, socket tags and JSON keys: printable ASCII without `/`, `~`, quotes or spaces (JSON
 * pointers and tags stay plain), and never a key the patch guards refuse. Provider `sub`s fit (UUIDs, `auth0|…`).
 */
export const userId = z
  .string()
  .regex(/^[A-Za-z0-9_.:@|+=-]{1,128}$/)
  .refine((id) => !["__proto__", "constructor", "prototype"].includes(id));

const bearer = (headers: Headers, header = "authorization"): string | undefined => {
  const value = headers.get(header)?.trim();
  if (!value) return undefined;
  return header === "authorization" ? /^Bearer\s+(\S+)$/i.exec(value)?.[1] : value;
};

/** Guest names when the request gives none: "Guest" and four characters of the id. */
const guestName = (id: string): string => `Guest ${id.slice(2, 6)}`;

/** A name from the request, or undefined; routes validated it with the same schema already. */
const requested = (name: string | undefined): string | undefined => (name === undefined ? undefined : playerName.safeParse(name).data);

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

export interface JwtOptions {
  /** The `iss` every token must carry, exactly. */
  readonly issuer: string;
  /** Accepted `aud` values: the token's `aud` (a string or a list) must contain one. */
  readonly audience: string | readonly string[];
  /** Where the provider publishes its signing keys (a JWKS document). */
  readonly jwksUrl?: string;
  /** Or the keys themselves (tests, or a provider with fixed keys). */
  readonly keys?: readonly HonoJsonWebKey[];
  /** Signature algorithms accepted; symmetric ones (HS*) and `none` never are. Default RS256 and ES256. */
  readonly algorithms?: readonly AsymmetricAlgorithm[];
  /** The header carrying the token; default `Authorization: Bearer …` (Cloudflare Access: `cf-access-jwt-assertion`). */
  readonly header?: string;
  /** Claims tried in order for the display name; default name, preferred_username, nickname. */
  readonly nameClaims?: readonly string[];
  /** Prefix for user ids (`auth0:`), to keep two providers' ids apart; default none. */
  readonly userIdPrefix?: string;
}

interface CachedKeys {
  keys: readonly HonoJsonWebKey[];
  fetchedAt: number;
}

/** Per isolate: keys are fetched once per `jwksCacheSeconds`, and again (at most every `jwksRefetchSeconds`) for a new `kid`. */
const jwksCache = new Map<string, CachedKeys>();

const jwksDocument = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().max(256).optional() })).max(settings.maxJwksKeys) });

async function fetchKeys(url: string): Promise<readonly HonoJsonWebKey[] | ErrorBody> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(settings.jwksFetchTimeoutMs), headers: { accept: "application/json" } });
    const text = response.ok ? await response.text() : "";
    if (!response.ok || text.length > settings.maxJwksBytes) return errorBody("identity_unavailable", { detail: `JWKS answered ${response.status}` });
    const parsed = jwksDocument.safeParse(JSON.parse(text));
    if (!parsed.success) return errorBody("identity_unavailable", { detail: "JWKS is not a key set" });
    return parsed.data.keys as HonoJsonWebKey[];
  } catch (error) {
    return errorBody("identity_unavailable", { detail: `JWKS fetch failed: ${(error as Error).name}` });
  }
}

/** The key for `kid`: from the cache, else refetched once (key rotation), else undefined. */
async function keyFor(options: JwtOptions, kid: string, now: number): Promise<HonoJsonWebKey | undefined | ErrorBody> {
  const fixed = options.keys?.find((key) => key.kid === kid);
  if (fixed || !options.jwksUrl) return fixed;
  const url = options.jwksUrl;
  let cached = jwksCache.get(url);
  const stale = !cached || now - cached.fetchedAt > settings.jwksCacheSeconds * 1000;
  const unknown = !cached?.keys.some((key) => key.kid === kid);
  if (stale || (unknown && now - (cached?.fetchedAt ?? 0) > settings.jwksRefetchSeconds * 1000)) {
    const keys = await fetchKeys(url);
    if ("type" in keys) {
      // A provider outage does not throw away keys that were good a moment ago.
      if (!cached) return keys;
    } else {
      cached = { keys, fetchedAt: now };
      jwksCache.set(url, cached);
    }
  }
  return cached?.keys.find((key) => key.kid === kid);
}

/** Hono's JWT errors, by class name, as the check that failed. */
const JWT_CHECKS: Readonly<Record<string, string>> = {
  JwtTokenIssuer: "issuer",
  JwtTokenAudience: "audience",
  JwtPayloadRequiresAud: "audience",
  JwtTokenNotBefore: "not yet valid",
  JwtTokenIssuedAt: "issued in the future",
  JwtHeaderInvalid: "header (alg or typ)",
  JwtHeaderRequiresKid: "no kid",
  JwtSymmetricAlgorithmNotAllowed: "symmetric alg",
  JwtAlgorithmNotAllowed: "alg not allowed",
  JwtAlgorithmMismatch: "alg does not match the key",
  JwtTokenSignatureMismatched: "signature",
  JwtTokenInvalid: "malformed",
};

const headerOf = (token: string): { kid?: unknown; alg?: unknown } | undefined => {
  try {
    const part = token.split(".")[0] ?? "";
    const json: unknown = JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/")));
    return typeof json === "object" && json !== null ? json : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A provider's JWTs, verified against its JWKS with Hono's `verifyWithJwks`: an allow-list of asymmetric
 * algorithms (so `none` and HS256-signed-with-the-public-key fail), the exact issuer, one of the audiences,
 * `exp` required, keys picked by `kid` and refetched when a new one appears (rotation).
 */
export function jwt(options: JwtOptions): Identify {
  const algorithms = options.algorithms ?? ["RS256", "ES256"];
  const nameClaims = options.nameClaims ?? ["name", "preferred_username", "nickname"];
  return async ({ headers, name }) => {
    const token = bearer(headers, options.header?.toLowerCase());
    if (token === undefined) return errorBody("identity_required");
    if (token.length > settings.maxIdentityTokenBytes) return errorBody("identity_invalid", { detail: "token too long" });
    const kid = headerOf(token)?.kid;
    if (typeof kid !== "string") return errorBody("identity_invalid", { detail: "no kid" });
    const key = await keyFor(options, kid, Date.now());
    if (key !== undefined && "type" in key) return key;
    if (key === undefined) return errorBody("identity_invalid", { detail: "unknown kid" });
    let payload: Record<string, unknown>;
    try {
      payload = await verifyWithJwks(token, {
        keys: [key],
        allowedAlgorithms: algorithms,
        verification: { iss: options.issuer, aud: [options.audience].flat(), exp: true, nbf: true, iat: true },
      });
    } catch (error) {
      const kind = (error as Error).name;
      if (kind === "JwtTokenExpired") return errorBody("identity_expired");
      return errorBody("identity_invalid", { detail: JWT_CHECKS[kind] ?? "unverifiable" });
    }
    // Hono checks `exp` only when present; a token that never expires is not accepted.
    if (typeof payload["exp"] !== "number") return errorBody("identity_invalid", { detail: "no exp" });
    const id = userId.safeParse(`${options.userIdPrefix ?? ""}${String(payload["sub"] ?? "")}`);
    if (!id.success) return errorBody("identity_invalid", { detail: "sub is missing or not a usable user id" });
    const claimed = nameClaims.map((claim) => payload[claim]).find((value) => typeof value === "string" && requested(value) !== undefined);
    const verifiedName = typeof claimed === "string" ? requested(claimed) : undefined;
    const rating = typeof payload["rating"] === "number" && Number.isFinite(payload["rating"]) ? payload["rating"] : undefined;
    return {
      userId: id.data,
      name: verifiedName ?? requested(name) ?? `Player ${id.data.slice(-4)}`,
      verified: verifiedName !== undefined,
      ...(rating === undefined ? {} : { rating }),
    };
  };
}

/** Whether a user may play: consulted after the identity is known, before any Durable Object. */
export type BanCheck = (userId: string, env: Env) => Promise<boolean>;

/** The shipped ban list: the `bans` table in D1 (migrations/), rows with no `until` or an `until` in the future. */
export const bannedInD1: BanCheck = async (id, env) => {
  const row = await env.DB.prepare("SELECT 1 AS banned FROM bans WHERE user_id = ?1 AND (until IS NULL OR until > ?2)").bind(id, Date.now()).first();
  return row !== null;
};

declare module "hono" {
  interface ContextVariableMap {
    /** Set by `identityGate` on quick play, join, code join and spectate (src/worker/edge/seats.ts `identified`). */
    identity: Identity;
  }
}

/**
 * The middleware every seat route mounts: the deployment's hook, then the ban list; the identity lands in
 * `c.get("identity")`. A refusal is answered here, so no Durable Object is addressed for it.
 */
export const identityGate =
  (identify: Identify, banned: BanCheck): MiddlewareHandler<{ Bindings: Env }> =>
  async (c, next) => {
    // Routes validate the body first (jsonBody), and Hono caches it, so reading the name again costs nothing.
    const body: unknown = c.req.header("content-type")?.includes("json") ? await c.req.json().catch(() => undefined) : undefined;
    const name = typeof body === "object" && body !== null && typeof (body as { name?: unknown }).name === "string" ? (body as { name: string }).name : undefined;
    const identity = await identify({ headers: c.req.raw.headers, env: c.env, name });
    if ("type" in identity) return errorResponse(identity);
    if (!userId.safeParse(identity.userId).success) return errorResponse(errorBody("identity_invalid", { detail: "the hook returned an unusable user id" }));
    if (await banned(identity.userId, c.env)) return errorResponse(errorBody("user_banned"));
    c.set("identity", identity);
    return next();
  };
