// `npm run bench:soak`: the soak benchmark and the room-hour costs, real rooms in workerd on a virtual clock (`npm test` never runs these).
import { existsSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { SoakReporter } from "./test/bench/results/soak-report.ts";

// The scenarios measure rows and bytes, not time: local storage on a RAM-backed temp folder runs them 5–10 times
// faster than on a disk other processes are writing to (an fsync per commit), and counts exactly the same.
if (process.env["TMPDIR"] === undefined && existsSync("/dev/shm")) process.env["TMPDIR"] = "/dev/shm";

export default defineConfig({
  // DEV_MODE as under `npm run dev` and in the workerd test project (vitest.config.ts).
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { DEV_MODE: "on" } } })],
  test: {
    include: ["test/soak/**/*.soak.ts"],
    provide: {
      soakTicks: Number(process.env["SOAK_TICKS"] ?? 72_000),
      soakCapMinutes: Number(process.env["SOAK_CAP_MINUTES"] ?? 45),
    },
    reporters: ["default", new SoakReporter()],
    // Each scenario bounds itself (SOAK_CAP_MINUTES); this only catches one that hangs.
    testTimeout: 50 * 60_000,
    // One scenario at a time: they share two cores with everything else.
    fileParallelism: false,
  },
});
