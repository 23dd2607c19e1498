// Who asks for a seat and from where: the identity (or a guest) and the region of `request.cf`.
import type { Context } from "hono";
import { randomId } from "../http.ts";
import { regionOf, type Region, type Whereabouts } from "../matchmaker/regions.ts";
import type { Seeker } from "../matchmaker/skill.ts";
import type { App } from "./seats.ts";

/** The region a request plays in: from Cloudflare's `request.cf`, the default region where there is none. */
export const regionOfRequest = (c: Context<App>): Region => regionOf(c.req.raw.cf as Whereabouts | undefined);

/**
 * Who asks for a seat: the identity middleware's user when it ran (`c.get("identity")`, with its rating), or a
 * guest with an id of its own for this request and the guest rating.
 */
export function seekerOf(c: Context<App>, name: string): Seeker {
  const identity = (c.var as { identity?: { userId: string; rating?: number } }).identity;
  return identity ? { userId: identity.userId, name, rating: identity.rating } : { userId: `guest:${randomId(12)}`, name };
}

