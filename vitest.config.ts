// Two projects: everything that can run inside workerd does; e2e tests drive a real `wrangler dev` from Node.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // DEV_MODE as under `npm run dev`; tests of a deployment pass their own env to the app.
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { DEV_MODE: "on" } } })],
        // Generous: the long simulations must not fail on a busy 2-core machine; timing lives in benchmarks.
        test: { name: "workerd", include: ["test/{engine,games,worker,client}/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
