// Bindings `wrangler types` cannot see in wrangler.toml: optional secrets set with `wrangler secret put`.
interface Env {
  /** The dev inspector's credential, needed whenever INSPECTOR is "on" and DEV_MODE is not (at least 32 characters). */
  INSPECTOR_SECRET?: string;
}

// The one function of node:zlib the room uses (the runtime's own zlib; nodejs_compat is on by the compatibility date).
declare module "node:zlib" {
  export function deflateRawSync(data: string | Uint8Array): Uint8Array;
}
