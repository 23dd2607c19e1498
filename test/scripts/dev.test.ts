// `npm run dev`'s port: from `--port N`, `--port=N` or PORT, exactly one given to wrangler, and a clear refusal of anything else.
import { describe, expect, it } from "vitest";
import { devArguments, devEnvironment, migrationArguments } from "../../scripts/dev.ts";

const portOf = (args: string[], env: Record<string, string> = {}) => devArguments(args, env);

describe("npm run dev's arguments", () => {
  it("serves 127.0.0.1:8787 by default and passes every other argument through", () => {
    expect(portOf(["--var", "INSPECTOR:on"])).toEqual({ port: 8787, args: ["dev", "--ip", "127.0.0.1", "--port", "8787", "--var", "INSPECTOR:on"] });
  });

  it("takes the port from PORT, and a flag over PORT, in either spelling", () => {
    expect(portOf([], { PORT: "8951" }).port).toBe(8951);
    expect(portOf(["--port", "8952"], { PORT: "8951" }).port).toBe(8952);
    expect(portOf(["--port=8953"]).port).toBe(8953);
    const { args } = portOf(["--var", "INSPECTOR:on", "--port", "8954"], { PORT: "8951" });
    expect(args.filter((arg) => arg === "--port")).toHaveLength(1);
    expect(args).toEqual(["dev", "--ip", "127.0.0.1", "--port", "8954", "--var", "INSPECTOR:on"]);
  });

  it("refuses a port that is not one", () => {
    for (const bad of [["--port", "http"], ["--port"], ["--port", "0"], ["--port=70000"]]) expect(() => portOf(bad)).toThrow(/not a port/);
    expect(() => portOf([], { PORT: "eighty" })).toThrow(/not a port/);
  });

  it("migrates the local D1 database the dev server will use: the same persist folder, environment and config", () => {
    expect(migrationArguments(["--var", "DEV_MODE:on"])).toEqual(["d1", "migrations", "apply", "DB", "--local"]);
    expect(migrationArguments(["--persist-to", "/tmp/x", "--var", "A:b", "--env=production", "-c", "other.toml", "--port", "9"])).toEqual([
      "d1", "migrations", "apply", "DB", "--local", "--persist-to", "/tmp/x", "--env=production", "-c", "other.toml",
    ]);
  });

  it("turns wrangler's local observability off unless X_LOCAL_OBSERVABILITY is set", () => {
    expect(devEnvironment({})).toEqual({ X_LOCAL_OBSERVABILITY: "false" });
    expect(devEnvironment({ X_LOCAL_OBSERVABILITY: "true" })).toEqual({ X_LOCAL_OBSERVABILITY: "true" });
  });
});
