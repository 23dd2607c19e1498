// wrangler.toml keeps its promises: `npm run dev` watches all of src/ and client/, production repeats every binding, nothing public maps to source.
import { readdirSync } from "node:fs";
import { experimental_readRawConfig } from "wrangler";
import { describe, expect, it } from "vitest";
import { ROOT } from "./readme.ts";

const { rawConfig: config } = experimental_readRawConfig({ config: `${ROOT}wrangler.toml` });

describe("wrangler.toml", () => {
  it("watches src/ and everything in client/ but the build's own output, since a [build] command turns wrangler's bundle watcher off", () => {
    const watched = [config.build?.watch_dir ?? []].flat();
    const client = readdirSync(`${ROOT}client`).filter((entry) => entry !== "dist" && entry !== "tsconfig.json").map((entry) => `client/${entry}`);
    expect(config.build?.command).toBe("node client/build.mjs");
    expect([...watched].sort()).toEqual(["src", ...client].sort());
  });

  it("minifies the deployed Worker and uploads no source map", () => {
    expect(config.minify).toBe(true);
    expect(config.upload_source_maps).toBe(false);
  });

  it("gives the production environment every binding and var of the top level, which environments do not inherit", () => {
    const production = config.env?.["production"];
    const names = (bindings: readonly { name: string; class_name?: string }[] | undefined) => (bindings ?? []).map((b) => `${b.name}:${b.class_name ?? ""}`).sort();
    expect(names(production?.durable_objects?.bindings)).toEqual(names(config.durable_objects?.bindings));
    expect(Object.keys(production?.vars ?? {}).sort()).toEqual(Object.keys(config.vars ?? {}).sort());
    expect(production?.vars?.["INSPECTOR"]).toBe("off");
    for (const kind of ["ratelimits", "kv_namespaces", "d1_databases", "r2_buckets", "services"] as const) {
      expect(names(production?.[kind] as { name: string }[] | undefined), kind).toEqual(names(config[kind] as { name: string }[] | undefined));
    }
    // The same limits, in namespaces of production's own, so staging traffic never counts against it.
    const limits = (list: readonly { name: string; simple: unknown }[] | undefined) => (list ?? []).map(({ name, simple }) => ({ name, simple }));
    expect(limits(production?.ratelimits)).toEqual(limits(config.ratelimits));
    const ids = [...(config.ratelimits ?? []), ...(production?.ratelimits ?? [])].map((limit) => limit.namespace_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(production?.secrets?.required).toEqual(config.secrets?.required);
  });
});
