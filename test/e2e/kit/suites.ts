// What a test file plays against, started before its tests and closed after them: a dev server, its bots, a Chromium.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium, screenshotDir } from "./browser.ts";
import { type Bot, TempServer } from "./dev-server.ts";

/** A file's dev server, and the bots its tests make (closed before the server). Read it inside tests and hooks. */
export interface ServerSuite {
  readonly server: TempServer;
  readonly bots: Bot[];
}

/** A dev server with `vars` for the file's tests: started before the first, closed after the last. */
export function serverSuite(vars: Readonly<Record<string, string>> = {}): ServerSuite {
  const suite: { server?: TempServer; bots: Bot[] } = { bots: [] };
  beforeAll(async () => {
    suite.server = await TempServer.start(vars);
  });
  afterAll(async () => {
    for (const bot of suite.bots) bot.close();
    await suite.server?.close();
  });
  return suite as ServerSuite;
}

/** What a browser test file plays against: its dev server, a Chromium, and the folder its screenshots go to. */
export interface BrowserSuite extends ServerSuite {
  readonly browser: Browser;
  readonly shots: string;
}

/** The file's dev server (with `vars`) and a Chromium, closed first; screenshots go to test-results/<name>/. */
export function browserSuite(name: string, vars: Readonly<Record<string, string>> = {}): BrowserSuite {
  const served = serverSuite(vars);
  const suite: { browser?: Browser; shots?: string; readonly server: TempServer; readonly bots: Bot[] } = {
    get server() {
      return served.server;
    },
    bots: served.bots,
  };
  beforeAll(async () => {
    [suite.browser, suite.shots] = await Promise.all([launchChromium(), screenshotDir(name)]);
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  return suite as BrowserSuite;
}
