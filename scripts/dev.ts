// npm run dev: local D1 migrated, then `wrangler dev` on 127.0.0.1, on the port from `--port N`, else $PORT, else 8787, local observability off; other arguments pass through.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const DEFAULT_PORT = 8787;

/** The port to serve on and wrangler's arguments: one `--port`, whichever way it was given. */
export function devArguments(args: readonly string[], env: Readonly<Record<string, string | undefined>>): { port: number; args: string[] } {
  const rest: string[] = [];
  let given: string | undefined = env["PORT"] || undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--port" || arg === "-p") given = args[++i] ?? "";
    else if (arg.startsWith("--port=")) given = arg.slice("--port=".length);
    else rest.push(arg);
  }
  const port = given === undefined ? DEFAULT_PORT : Number(given);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`not a port: ${JSON.stringify(given)} (give --port N or PORT=N with 1 <= N <= 65535)`);
  return { port, args: ["dev", "--ip", "127.0.0.1", "--port", String(port), ...rest] };
}

/** Options of `wrangler dev` that say which local database it uses, so the migrations go to the same one. */
const DATABASE_OPTIONS = new Set(["--persist-to", "--env", "-e", "--config", "-c"]);

/** `wrangler d1 migrations apply DB --local` for the database the dev server will use (migrations/ holds the schema). */
export function migrationArguments(args: readonly string[]): string[] {
  const picked: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (DATABASE_OPTIONS.has(arg)) picked.push(arg, args[++i] ?? "");
    else if ([...DATABASE_OPTIONS].some((option) => arg.startsWith(`${option}=`))) picked.push(arg);
  }
  return ["d1", "migrations", "apply", "DB", "--local", ...picked];
}

/**
 * The environment wrangler runs under. Local observability (a streaming tail attached to the Worker, fed a trace
 * of every invocation, each WebSocket message included, for the traces view of wrangler's local explorer) is off
 * unless X_LOCAL_OBSERVABILITY is set: it was about half of the dev server's CPU under a realtime game
 * (docs/bench.md, "What npm run dev costs"). Console output in the terminal is unchanged without it.
 */
export const devEnvironment = (env: Readonly<Record<string, string | undefined>>): Record<string, string> => ({
  X_LOCAL_OBSERVABILITY: env["X_LOCAL_OBSERVABILITY"] ?? "false",
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let parsed: { port: number; args: string[] };
  try {
    parsed = devArguments(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const wrangler = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
  // Applied migrations are recorded in the database, so this is a no-op after the first run. stdin is not a
  // terminal, so wrangler asks no confirmation.
  const migrated = spawnSync(process.execPath, [wrangler, ...migrationArguments(parsed.args)], { stdio: ["ignore", "inherit", "inherit"] });
  if (migrated.status !== 0) {
    console.error("could not apply migrations/ to the local D1 database (see above)");
    process.exit(migrated.status ?? 1);
  }
  const child = spawn(process.execPath, [wrangler, ...parsed.args], { stdio: "inherit", env: { ...process.env, ...devEnvironment(process.env) } });
  // Ctrl-C reaches wrangler through the terminal's process group; a signal sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
