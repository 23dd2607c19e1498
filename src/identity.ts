// Your deployment's identity hook: who a request is (guest or signed-in player), and who may not play. docs/identity.md.
import { guests } from "./worker/edge/guests.ts";
import { bannedInD1, type BanCheck, type Identify } from "./worker/edge/identity.ts";
import { jwt } from "./worker/edge/jwt.ts";

const asGuest = guests();

/**
 * Runs before quick play, join, code join and spectate. Shipped: guests, unless the JWT_ISSUER var is set;
 * then every player signs in with that provider (its JWKS at JWKS_URL, or the issuer's well-known path).
 * Return an Identity or a refusal (`errorBody("identity_required")`, ...); docs/identity.md has recipes.
 */
export const identify: Identify = (request) => {
  // Typed from wrangler.toml's empty literals, which a deployment's vars override.
  const { JWT_ISSUER: issuer, JWT_AUDIENCE: audience, JWKS_URL: jwksUrl } = request.env as { JWT_ISSUER: string; JWT_AUDIENCE: string; JWKS_URL: string };
  if (!issuer) return asGuest(request);
  return jwtFor(issuer, audience, jwksUrl || new URL(".well-known/jwks.json", issuer.endsWith("/") ? issuer : `${issuer}/`).href)(request);
};

/** One verifier per configuration, so its key cache is shared by every request. */
const verifiers = new Map<string, Identify>();
const jwtFor = (issuer: string, audience: string, jwksUrl: string): Identify => {
  const key = `${issuer} ${audience} ${jwksUrl}`;
  let verifier = verifiers.get(key);
  if (!verifier) verifiers.set(key, (verifier = jwt({ issuer, audience: audience.split(",").map((a) => a.trim()), jwksUrl })));
  return verifier;
};

/** The ban list the hook consults after it knows who is asking: the `bans` table in D1. */
export const banned: BanCheck = bannedInD1;
