// Who is asking: the Identity every seat route gets (or a typed refusal), the ban list, and the middleware, before any Durable Object.
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { errorResponse } from "../http.ts";
import { playerName } from "./names.ts";

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

export const bearer = (headers: Headers, header = "authorization"): string | undefined => {
  const value = headers.get(header)?.trim();
  if (!value) return undefined;
  return header === "authorization" ? /^Bearer\s+(\S+)$/i.exec(value)?.[1] : value;
};

/** A name from the request, or undefined; routes validated it with the same schema already. */
export const requested = (name: string | undefined): string | undefined => (name === undefined ? undefined : playerName.safeParse(name).data);

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
