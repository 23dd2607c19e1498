// Call the Worker as a deployment would run it (its own env: DEV_MODE off, a secret or none) and from a chosen client address.
import { env, exports } from "cloudflare:workers";
import { app } from "../../src/worker/app.ts";

export const BASE = "http://room.test";

/** A secret long enough to be accepted. */
export const GOOD_SECRET = "s".repeat(24) + crypto.randomUUID();

/** The env of a deployment: DEV_MODE off and no TICKET_SECRET unless given. */
export const deployment = (overrides: Partial<Record<string, unknown>> = {}): Env =>
  ({ ...env, DEV_MODE: "off", TICKET_SECRET: undefined, ...overrides }) as unknown as Env;

/** One client of the Worker: an address (CF-Connecting-IP, as Cloudflare's edge sets it) and, optionally, a deployment's env. */
export function client(address: string | undefined, deployed?: Env) {
  const fetch = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (address !== undefined) headers.set("CF-Connecting-IP", address);
    const request = new Request(`${BASE}${path}`, { ...init, headers });
    return deployed ? Promise.resolve(app.fetch(request, deployed)) : exports.default.fetch(request);
  };
  return {
    fetch,
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }),
    upgrade: (path: string, headers: Record<string, string> = {}) => fetch(path, { headers: { Upgrade: "websocket", ...headers } }),
  };
}
