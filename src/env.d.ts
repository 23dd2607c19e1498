// Types `wrangler types` cannot see: secrets set with `wrangler secret put`, and the main module's exports.
interface Env {
  /** Signs join tickets. Unset in local dev, where a dev-only default is used and logged. */
  TICKET_SECRET?: string;
}

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
  }
}
