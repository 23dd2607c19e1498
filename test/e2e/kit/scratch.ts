// A scratch checkout of the project under the temp folder, as a forker has it: tests edit it and run its scripts there.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { track } from "./cleanup.ts";
import { ROOT } from "./dev-server.ts";

/** What `npm run dev` and the deploy commands read: the Worker, the client sources, the scripts, the docs and the configuration. */
const CHECKOUT = ["src", "client", "scripts", "docs", "migrations", "package.json", "wrangler.toml", "tsconfig.json", "worker-configuration.d.ts"];

/** A copy of the checkout sharing this one's node_modules (a symlink); removed after the test file. */
export function scratchCheckout(prefix = "checkout-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  track(async () => rmSync(dir, { recursive: true, force: true }));
  for (const entry of CHECKOUT) {
    // The built demo is left behind, so the copy builds its own, as a fresh clone does.
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (from) => !from.startsWith(join(ROOT, "client/dist")) });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}
