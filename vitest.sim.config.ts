// `npm run sim:matchmaking`: the real Matchmaker and GameRoom objects in workerd under a synthetic peak, on a virtual clock (`npm test` never runs it).
import { existsSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Thousands of rooms each write a SQLite file: a RAM-backed temp folder keeps the run to minutes (it counts the same).
if (process.env["TMPDIR"] === undefined && existsSync("/dev/shm")) process.env["TMPDIR"] = "/dev/shm";

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { DEV_MODE: "on" } } })],
  test: {
    include: ["test/sim/**/*.sim.ts"],
    provide: {
      simQuickPlays: Number(process.env["SIM_QUICK_PLAYS"] ?? 30_000),
      simRate: Number(process.env["SIM_RATE"] ?? 2000),
      simCapSeconds: Number(process.env["SIM_CAP_SECONDS"] ?? 300),
      simSeed: Number(process.env["SIM_SEED"] ?? 1),
    },
    // The run stops itself at SIM_CAP_SECONDS; this only catches one that hangs.
    testTimeout: 15 * 60_000,
    fileParallelism: false,
  },
});
