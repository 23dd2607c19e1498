// Bindings `wrangler types` cannot see in wrangler.toml: secrets set with `wrangler secret put`.
interface Env {
  /** Signs join tickets. Unset in local dev, where a dev-only default is used and logged. */
  TICKET_SECRET?: string;
}
