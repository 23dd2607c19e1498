// Bindings `wrangler types` cannot see in wrangler.toml: optional secrets set with `wrangler secret put`.
interface Env {
  /** The dev inspector's credential, needed whenever INSPECTOR is "on" and DEV_MODE is not (at least 32 characters). */
  INSPECTOR_SECRET?: string;
}
