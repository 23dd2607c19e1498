// Fail closed: whether this Worker runs as local dev (DEV_MODE) and the signing secret it may use, or why it refuses.
import type { MiddlewareHandler } from "hono";
import { CodedError, errorBody } from "../../protocol/errors.ts";
import { errorResponse } from "../http.ts";
import { settings } from "../settings.ts";

/** Signs tickets only when DEV_MODE is "on"; it is in the public repo, so it must never sign in a deployment. */
export const DEV_SECRET = "dev-only-insecure-ticket-secret";

/**
 * DEV_MODE is "off" in wrangler.toml; `npm run dev` and the tests pass `--var DEV_MODE:on`. Typed from
 * wrangler.toml's literal, which `--var` overrides.
 */
export const devMode = (env: { DEV_MODE?: string }): boolean => env.DEV_MODE === "on";

/** Why a secret cannot be used, or undefined when it can. The dev key is refused as a secret too. */
export function secretProblem(name: string, value: string | undefined): string | undefined {
  if (!value) return `${name} is not set; run \`wrangler secret put ${name}\``;
  if (value.length < settings.minSecretLength) return `${name} is shorter than ${settings.minSecretLength} characters`;
  if (value === DEV_SECRET) return `${name} is the public dev-only key`;
  return undefined;
}

let warned = false;

/** The key that signs tickets and maps join codes: TICKET_SECRET, or in dev mode the dev key; otherwise throws. */
export function ticketSecret(env: { TICKET_SECRET?: string; DEV_MODE?: string }): string {
  const problem = secretProblem("TICKET_SECRET", env.TICKET_SECRET);
  if (problem === undefined) return env.TICKET_SECRET as string;
  if (!devMode(env)) throw new CodedError("server_misconfigured", problem);
  if (!warned) {
    warned = true;
    console.warn(`${problem}: DEV_MODE is on, so join tickets are signed with the dev-only key. Never deploy like this.`);
  }
  return DEV_SECRET;
}

/** Refuses every ticket route and upgrade before any Durable Object is addressed when there is no usable secret. */
export const secretGate: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const problem = secretProblem("TICKET_SECRET", c.env.TICKET_SECRET);
  if (problem !== undefined && !devMode(c.env)) return errorResponse(errorBody("server_misconfigured", { detail: problem }));
  return next();
};
