// Who may use the dev inspector: anyone under `npm run dev`; elsewhere only a holder of INSPECTOR_SECRET.
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { inspectorOn } from "../settings.ts";
import { devMode, secretProblem } from "./deployment.ts";

export const INSPECTOR_COOKIE = "inspector";
/** A signed-in browser keeps its session this long. */
export const SESSION_SECONDS = 12 * 3600;

const encoder = new TextEncoder();

/** The cookie's value: an HMAC of a fixed label under the secret, so the secret itself is never stored in a browser. */
export async function sessionToken(secret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode("inspector-session")));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Equal strings, compared in time that does not depend on where they differ. */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return crypto.subtle.timingSafeEqual(await digest(given), await digest(expected));
}

/**
 * Undefined when the caller may use the inspector, else why not: off (404), on in a deployment without a
 * usable INSPECTOR_SECRET (503), or no valid credential (401). The credential is `Authorization: Bearer
 * <INSPECTOR_SECRET>` (tools) or the session cookie that signing in at /inspect sets (the page and its socket).
 */
export async function inspectorRefusal(c: Context<{ Bindings: Env }>): Promise<ErrorBody | undefined> {
  if (!inspectorOn(c.env)) return errorBody("inspector_off");
  if (devMode(c.env)) return undefined;
  const secret = c.env.INSPECTOR_SECRET;
  const problem = secretProblem("INSPECTOR_SECRET", secret);
  if (problem !== undefined || secret === undefined) return errorBody("server_misconfigured", { detail: problem });
  const bearer = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
  if (bearer !== undefined && (await sameSecret(bearer, secret))) return undefined;
  const cookie = getCookie(c, INSPECTOR_COOKIE);
  if (cookie !== undefined && (await sameSecret(cookie, await sessionToken(secret)))) return undefined;
  return errorBody("inspector_locked");
}
