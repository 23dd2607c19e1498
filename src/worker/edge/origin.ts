// Origin policy: browsers may call the API and open sockets only from allowed pages.
import type { MiddlewareHandler } from "hono";
import { errorBody } from "../../protocol/errors.ts";
import { errorResponse } from "../http.ts";
import type { App } from "./seats.ts";
import { settings } from "../settings.ts";
import { devMode } from "./deployment.ts";

/**
 * Refuses a request whose Origin header is neither the Worker's own origin, nor a dev origin while
 * DEV_MODE is on, nor listed in the ALLOWED_ORIGINS var (comma-separated). Requests without an Origin header (bots,
 * servers, native clients) pass: Origin only constrains browsers, and the ticket is the credential.
 */
export const originPolicy: MiddlewareHandler<App> = async (c, next) => {
  const origin = c.req.header("Origin");
  if (origin === undefined || allowed(origin, new URL(c.req.url).origin, c.env)) return next();
  return errorResponse(errorBody("origin_not_allowed", { detail: origin }));
};

function allowed(origin: string, own: string, env: Env): boolean {
  if (origin === own || (devMode(env) && (settings.devOrigins as readonly string[]).includes(origin))) return true;
  return ((env.ALLOWED_ORIGINS as string | undefined) ?? "").split(",").some((entry) => entry.trim() === origin);
}
