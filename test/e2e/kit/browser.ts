// Finds a Chromium and drives it with playwright-core; typed access to the demo page's test hooks (`window.demo`).
import { accessSync, constants } from "node:fs";
import { mkdir } from "node:fs/promises";
import { arch, platform } from "node:os";
import { chromium, type Browser, type Page } from "playwright-core";
import type { RoomView } from "../../../src/engine/updates/views.ts";
import { track } from "./cleanup.ts";

/** Installed browsers looked for when CHROMIUM_PATH is not set, in this order. */
const SYSTEM_CHROMIUMS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser the tests drive, and where it came from: CHROMIUM_PATH (which replaces the system paths
 * above), else an installed Chromium or Chrome, else Playwright's cache, else the Chromium that the
 * `@sparticuz/chromium` devDependency ships inside its npm tarball (Linux x64; unpacked into the temp
 * folder on first use). Nothing is ever downloaded.
 */
async function findChromium(): Promise<{ path: string; from: string }> {
  const override = process.env["CHROMIUM_PATH"];
  const tried: string[] = [];
  for (const path of override ? [override] : SYSTEM_CHROMIUMS) {
    if (executable(path)) return { path, from: override ? "CHROMIUM_PATH" : "installed" };
    tried.push(path);
  }
  const cached = chromium.executablePath();
  if (executable(cached)) return { path: cached, from: "Playwright's cache" };
  tried.push(cached);
  if (platform() === "linux" && arch() === "x64") {
    const bundled = (await import("@sparticuz/chromium")).default;
    return { path: await bundled.executablePath(), from: "@sparticuz/chromium" };
  }
  tried.push("@sparticuz/chromium (Linux x64 only)");
  throw new Error(`No Chromium found; tried ${tried.join(", ")}. Install Chromium or Chrome, or set CHROMIUM_PATH to one.`);
}

let found: Promise<{ path: string; from: string }> | undefined;

/** Where the browser is, found once per test file. */
export const chromiumPath = (): Promise<{ path: string; from: string }> => (found ??= findChromium());

// Without the background-networking flags Chromium keeps dialling Google on a machine with no internet.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** A headless Chromium, closed after the test file even when the file fails. */
export async function launchChromium(): Promise<Browser> {
  const { path } = await chromiumPath();
  const browser = await chromium.launch({ executablePath: path, args: FLAGS, headless: true });
  track(() => browser.close());
  return browser;
}

/** Where a test's screenshots go; the folder is named for the test file. */
export async function screenshotDir(name: string): Promise<string> {
  const dir = new URL(`../../../test-results/${name}/`, import.meta.url).pathname;
  await mkdir(dir, { recursive: true });
  return dir;
}

/** What the demo page exposes for tests and the console, as plain data (a session's view is JSON). */
export interface DemoState {
  readonly screen: "lobby" | "arena" | "battleship";
  readonly status: string | undefined;
  readonly roomId: string | undefined;
  readonly playerId: string | undefined;
  readonly team: string | undefined;
  readonly role: string | undefined;
  readonly view: RoomView | undefined;
  readonly latencyMs: number | undefined;
}

interface DemoHooks {
  readonly screen: DemoState["screen"];
  readonly session?: {
    status: string;
    roomId?: string;
    playerId?: string;
    team?: string;
    role?: string;
    view?: DemoState["view"];
    latencyMs?: number;
  };
  cellPoint(board: "own" | "target", x: number, y: number): { x: number; y: number };
  worldPoint(x: number, y: number): { x: number; y: number };
}

export async function demoState(page: Page): Promise<DemoState> {
  return page.evaluate(() => {
    const demo = (globalThis as unknown as { demo?: DemoHooks }).demo;
    const s = demo?.session;
    return {
      screen: demo?.screen ?? "lobby",
      status: s?.status,
      roomId: s?.roomId,
      playerId: s?.playerId,
      team: s?.team,
      role: s?.role,
      view: s?.view === undefined ? undefined : (JSON.parse(JSON.stringify(s.view)) as DemoState["view"]),
      latencyMs: s?.latencyMs,
    };
  });
}

export const cellPoint = (page: Page, board: "own" | "target", x: number, y: number) =>
  page.evaluate(([b, cx, cy]) => (globalThis as unknown as { demo: DemoHooks }).demo.cellPoint(b, cx, cy), [board, x, y] as const);

/** Poll the page until `check` holds on its state; bounded in time, naming what it waited for. */
export async function waitForDemo(page: Page, check: (state: DemoState) => boolean, what: string, ms = 20_000): Promise<DemoState> {
  const end = Date.now() + ms;
  for (;;) {
    const state = await demoState(page);
    if (check(state)) return state;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify({ ...state, view: undefined })}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
