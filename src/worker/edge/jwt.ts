// A provider's JWTs, verified with Hono's JWT helpers against its JWKS: issuer, audience, exp, an alg allow-list, keys by kid.
import { verifyWithJwks } from "hono/utils/jwt/jwt";
import type { AsymmetricAlgorithm } from "hono/utils/jwt/jwa";
import type { HonoJsonWebKey } from "hono/utils/jwt/jws";
import { z } from "zod";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { settings } from "../settings.ts";
import { bearer, requested, userId, type Identify } from "./identity.ts";

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

