// Debian's Chromium driven by playwright-core, and typed access to the demo page's test hooks (`window.demo`).
import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";
import type { RoomView } from "../../src/engine/views.ts";

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps dialling Google on a machine with no internet.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });

/** Where a test's screenshots go; the folder is named for the test file. */
export async function screenshotDir(name: string): Promise<string> {
  const dir = new URL(`../../test-results/${name}/`, import.meta.url).pathname;
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
