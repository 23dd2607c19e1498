// Everything an e2e test file starts (dev servers, browsers, scratch folders) is stopped after the file, pass or fail.

interface Tracked {
  readonly stop: () => Promise<void>;
  /** Synchronous last resort for a process exit, where nothing awaits: kill the process group. */
  readonly killNow: (() => void) | undefined;
}

const live = new Set<Tracked>();

/**
 * Stop this after the current test file (test/e2e/kit/setup.ts runs `stopAll` in an afterAll of every e2e file,
 * so a failed `expect` or a rejected `Promise.all` cannot leave it running). Returns the untrack function,
 * for a thing stopped by hand. Stops must be safe to call twice.
 */
export function track(stop: () => Promise<void>, killNow?: () => void): () => void {
  const entry: Tracked = { stop, killNow };
  live.add(entry);
  return () => live.delete(entry);
}

/** Stop everything still tracked, the latest first (a browser before the server it talks to). */
export async function stopAll(): Promise<void> {
  const entries = [...live].reverse();
  live.clear();
  const results = await Promise.allSettled(entries.map((entry) => entry.stop()));
  const failed = results.filter((result) => result.status === "rejected");
  if (failed.length > 0) throw new AggregateError(failed.map((result) => result.reason), "cleanup failed");
}

// A worker that ends without running afterAll (process.exit, or vitest terminating it) still takes its
// servers with it: they run detached in their own process groups, which would otherwise outlive it.
const killAll = (): void => {
  for (const entry of live) entry.killNow?.();
};
process.on("exit", killAll);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}
