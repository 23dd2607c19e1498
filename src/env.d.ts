// Bindings `wrangler types` cannot see in wrangler.toml: optional secrets set with `wrangler secret put`.
interface Env {
  /** The dev inspector's credential, needed whenever INSPECTOR is "on" and DEV_MODE is not (at least 32 characters). */
  INSPECTOR_SECRET?: string;
}

// What of node:zlib the room (deflate) and its tests (inflate) use: the runtime's own zlib, on by the compatibility date.
declare module "node:zlib" {
  export function deflateRawSync(data: string | Uint8Array): Uint8Array;
  export function inflateRawSync(data: Uint8Array): { toString(): string };
}
