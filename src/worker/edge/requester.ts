// Who asks for a seat and from where: the identity (or a guest) and the region of `request.cf`.
import type { Context } from "hono";
import { regionOf, type Region, type Whereabouts } from "../matchmaker/regions.ts";
import type { Seeker } from "../matchmaker/skill.ts";
import type { App } from "./seats.ts";

/** The region a request plays in: from Cloudflare's `request.cf`, the default region where there is none. */
export const regionOfRequest = (c: Context<App>): Region => regionOf(c.req.raw.cf as Whereabouts | undefined);

/** Who asks for a seat: the verified identity the identity middleware (`identified`) put on the request, with its rating. */
export function seekerOf(c: Context<App>): Seeker {
  const { userId, name, rating } = c.get("identity");
  return { userId, name, ...(rating === undefined ? {} : { rating }) };
}
