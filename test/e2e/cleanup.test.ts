// A forced failure leaves nothing behind: a child vitest runs a test that fails with servers running, then this looks for them.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "./kit/dev-server.ts";

const run = promisify(execFile);

/** Command lines of every process on the machine that mention `needle`. */
const processesMentioning = (needle: string): string[] =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        return cmdline.includes(needle) ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return [];
      }
    });

/** Processes of a process group that still run (a zombie has exited; the container's init may reap it late). */
const liveMembers = (pgid: number): number[] =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: pid (comm) state ppid pgrp ...; comm may hold spaces, so read after its ")".
        const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, "utf8").slice(readFileSync(`/proc/${pid}/stat`, "utf8").lastIndexOf(")") + 2).split(" ");
        return Number(pgrp) === pgid && state !== "Z";
      } catch {
        return false;
      }
    })
    .map(Number);

describe("an e2e test that fails", () => {
  it("has every server it started stopped and every folder removed by the harness", async () => {
    const report = join(tmpdir(), `forced-failure-${process.pid}.json`);
    const failed = await run(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/e2e/fixtures/forced-failure.config.ts"], {
      cwd: ROOT,
      env: { ...process.env, FORCED_FAILURE_REPORT: report, PATH: `${ROOT}node_modules/.bin:${process.env.PATH ?? ""}` },
    }).then(
      () => "passed",
      (error: { stdout?: string }) => error.stdout ?? "",
    );
    expect(failed).toContain("1 failed");
    const started = JSON.parse(readFileSync(report, "utf8")) as { groups: number[]; dirs: string[]; url: string };
    rmSync(report, { force: true });
    expect(started.groups.flatMap(liveMembers)).toEqual([]);
    expect(started.dirs.filter((dir) => existsSync(dir))).toEqual([]);
    // The half-started server ran with --persist-to inside the scratch checkout.
    expect(started.dirs.flatMap(processesMentioning)).toEqual([]);
    await expect(fetch(`${started.url}/api/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
