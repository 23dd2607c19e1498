// Per-client request limits with Cloudflare's Rate Limiting binding, checked before any Durable Object is addressed.
import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "../../protocol/errors.ts";
import { errorResponse } from "../http.ts";
import { settings } from "../settings.ts";
import { devMode } from "./deployment.ts";

export type LimitName = keyof typeof settings.rateLimits;

/**
 * Requests with no CF-Connecting-IP cannot arrive through Cloudflare's edge, which always sets it; outside
 * dev mode they share one bucket rather than going unmetered.
 */
const NO_ADDRESS = "no-address";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * The key a client is counted under, or undefined when it is not counted: in dev mode, a client on this
 * machine (or a request made in-process by a test) is not limited, because every tab, test and bench shares
 * 127.0.0.1. `wrangler dev` keeps a CF-Connecting-IP the client sent, so any other address is limited there too.
 */
export function clientKey(c: Context<{ Bindings: Env }>): string | undefined {
  const address = c.req.header("CF-Connecting-IP")?.trim();
  if (devMode(c.env) && (!address || LOOPBACK.test(address))) return undefined;
  return address || NO_ADDRESS;
}

/** `429 rate_limited` with Retry-After, or undefined when the request may go on. `scope` narrows the key (a room id). */
export async function overLimit(c: Context<{ Bindings: Env }>, name: LimitName, scope?: string): Promise<Response | undefined> {
  const key = clientKey(c);
  if (key === undefined) return undefined;
  const { binding, limit, periodSeconds } = settings.rateLimits[name];
  const limiter = c.env[binding] as RateLimit | undefined;
  if (!limiter) return errorResponse(errorBody("server_misconfigured", { detail: `the ${binding} rate limit binding is missing` }));
  const { success } = await limiter.limit({ key: scope === undefined ? key : `${key}|${scope}` });
  if (success) return undefined;
  const response = errorResponse(errorBody("rate_limited", { detail: `${name}: at most ${limit} per ${periodSeconds} s per client` }));
  // The binding does not say when its window ends; a whole period is a bound that is always enough.
  response.headers.set("Retry-After", String(periodSeconds));
  return response;
}

/** The same as middleware, for routes whose key is the client alone. */
export const rateLimit =
  (name: LimitName): MiddlewareHandler<{ Bindings: Env }> =>
  async (c, next) =>
    (await overLimit(c, name)) ?? next();
