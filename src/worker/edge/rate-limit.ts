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
  return address ? network(address) : NO_ADDRESS;
}

/**
 * The unit a client is counted by: an IPv4 address, or an IPv6 /64. One subscriber usually gets a whole
 * /64, so counting single IPv6 addresses would give an attacker 2^64 fresh keys.
 */
export function network(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
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
