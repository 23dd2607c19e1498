// npm run serve: build the Worker and run it on bare workerd (no wrangler in the path), Durable Objects in SQLite on local disk.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { workerdConfig, type ServeConfig } from "./serve/config.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_PORT = 8080;
/** Secrets the Worker reads; each is passed from this process's environment to workerd's, never written to disk. */
const SECRETS = ["TICKET_SECRET", "INSPECTOR_SECRET"];

export interface ServeOptions {
  readonly port: number;
  /** Folder of the Durable Objects' storage (kept across runs) and the build. */
  readonly state: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly build: boolean;
  readonly clientIpHeader: string | undefined;
  /** Where the build and the config go; `<state>/build` unless given (the bench builds once for many runs). */
  readonly buildDir?: string;
  /** V8's flags for the isolates (the bench's `--perf` names JIT frames with them); none unless given. */
  readonly v8Flags?: readonly string[];
}

/** `--port N` (else $PORT, else 8080), `--state DIR` (.workerd), `--var NAME:VALUE`, `--client-ip-header NAME`, `--no-build`. */
export function serveOptions(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ServeOptions {
  let port = env["PORT"] || String(DEFAULT_PORT);
  let state = join(ROOT, ".workerd");
  let build = true;
  let clientIpHeader: string | undefined;
  const vars: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--port" || arg === "-p") port = value();
    else if (arg === "--state") state = resolve(value());
    else if (arg === "--client-ip-header") clientIpHeader = value();
    else if (arg === "--no-build") build = false;
    else if (arg === "--var") {
      const [name, ...rest] = value().split(":");
      if (!name || rest.length === 0) throw new Error(`--var takes NAME:VALUE, got ${JSON.stringify(args[i])}`);
      vars[name] = rest.join(":");
    } else throw new Error(`unknown argument ${JSON.stringify(arg)} (see docs/self-host.md)`);
  }
  const number = Number(port);
  if (!Number.isInteger(number) || number < 1 || number > 65_535) throw new Error(`not a port: ${JSON.stringify(port)}`);
  return { port: number, state, vars, build, clientIpHeader };
}

/** The workerd binary that wrangler itself runs. */
export const workerdBinary = (): string => createRequire(join(ROOT, "node_modules/wrangler/package.json")).resolve("workerd/bin/workerd");

/** Bundle the Worker as `wrangler deploy` would (its build command builds the client first), without uploading; `minify: false` keeps its names for a profiler. */
export function buildWorker(outDir: string, { minify = true } = {}): void {
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const args = [wrangler, "deploy", "--dry-run", "--outdir", outDir, "--env=", ...(minify ? [] : ["--minify=false"])];
  const built = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error(`the Worker's build failed (wrangler deploy --dry-run exited ${built.status})`);
}

/** A D1 database's migrations, as wrangler orders them: the folder's .sql files by name. */
const migrationsIn = (dir: string): { name: string; sql: string }[] =>
  existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".sql")).sort().map((name) => ({ name, sql: readFileSync(join(dir, name), "utf8") })) : [];

/** Write workerd's config for wrangler.toml's top-level environment; returns its path. */
export async function writeConfig(options: ServeOptions): Promise<string> {
  const { unstable_readConfig } = await import("wrangler");
  const toml = unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
  const buildDir = options.buildDir ?? join(options.state, "build");
  const assets = toml.assets?.directory ? resolve(ROOT, toml.assets.directory) : undefined;
  const headersFile = assets ? join(assets, "_headers") : "";
  const config: ServeConfig = {
    name: toml.name ?? "worker",
    compatibilityDate: toml.compatibility_date ?? "2026-11-01",
    compatibilityFlags: toml.compatibility_flags,
    // capnp embeds paths relative to the config file.
    bundle: "index.js",
    vars: { ...Object.fromEntries(Object.entries(toml.vars).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])), ...options.vars },
    secrets: SECRETS.filter((name) => process.env[name] !== undefined),
    durableObjects: toml.durable_objects.bindings.map((b: { name: string; class_name: string }) => ({ name: b.name, className: b.class_name })),
    d1: toml.d1_databases.map((d: { binding: string; migrations_dir?: string }) => ({ binding: d.binding, migrations: migrationsIn(resolve(ROOT, d.migrations_dir ?? "migrations")) })),
    rateLimits: toml.ratelimits.map((r: { name: string; simple: { limit: number; period: number } }) => ({ name: r.name, limit: r.simple.limit, period: r.simple.period })),
    assets: assets && toml.assets
      ? { binding: toml.assets.binding ?? "ASSETS", directory: assets, runWorkerFirst: Array.isArray(toml.assets.run_worker_first) ? toml.assets.run_worker_first : [], headersText: existsSync(headersFile) ? readFileSync(headersFile, "utf8") : "" }
      : undefined,
    stateDir: join(options.state, "objects"),
    modulesDir: relative(buildDir, join(ROOT, "scripts/serve")),
    address: `127.0.0.1:${options.port}`,
    clientIpHeader: options.clientIpHeader,
    v8Flags: options.v8Flags ?? [],
  };
  mkdirSync(config.stateDir, { recursive: true });
  const path = join(buildDir, "workerd.capnp");
  writeFileSync(path, workerdConfig(config));
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let options: ServeOptions;
  try {
    options = serveOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (options.build) buildWorker(join(options.state, "build"));
  const config = await writeConfig(options);
  // localDisk storage for Durable Objects is marked experimental in workerd's config schema.
  const child = spawn(workerdBinary(), ["serve", config, "--experimental"], { stdio: "inherit" });
  console.log(`workerd serving http://127.0.0.1:${options.port} (storage in ${join(options.state, "objects")})`);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
