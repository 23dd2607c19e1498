// What the screen tests share: the three viewports, pages that record console errors, the "nothing outside the
// viewport" check, the demo's own hooks, and a network cut for one browser context's room sockets.
import type { Browser, BrowserContext, Page, WebSocketRoute } from "playwright-core";

export const sizes = {
  desktop: { viewport: { width: 1280, height: 900 } },
  portrait: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  landscape: { viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;
export type Size = keyof typeof sizes;

/** Every console error and uncaught exception of the pages opened here, named by page. */
export class ConsoleErrors {
  readonly seen: string[] = [];

  watch(name: string, page: Page): Page {
    page.on("pageerror", (error) => this.seen.push(`${name}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") this.seen.push(`${name}: ${message.text()}`);
    });
    return page;
  }
}

/** A page at `size` in a context of its own; `name` is typed into the lobby (and saved) before `path` opens. */
export async function openAs(browser: Browser, errors: ConsoleErrors, name: string, size: Size, url: string, path = "/"): Promise<Page> {
  const context = await browser.newContext(sizes[size]);
  const page = errors.watch(name, await context.newPage());
  await page.goto(`${url}/`);
  await page.fill("#name", name);
  if (path !== "/") await page.goto(`${url}${path}`);
  return page;
}

/** The demo's hooks as plain data. */
export interface Screen {
  readonly screen: string;
  readonly generic: boolean;
  readonly status: string | undefined;
  readonly roomId: string | undefined;
  readonly playerId: string | undefined;
  readonly role: string | undefined;
  readonly latencyMs: number | undefined;
}

export const screenOf = (page: Page): Promise<Screen> =>
  page.evaluate(() => {
    const demo = (globalThis as unknown as { demo: { screen: string; generic: boolean; session?: { status: string; roomId?: string; playerId?: string; role?: string; latencyMs?: number } } }).demo;
    const s = demo.session;
    return { screen: demo.screen, generic: demo.generic, status: s?.status, roomId: s?.roomId, playerId: s?.playerId, role: s?.role, latencyMs: s?.latencyMs };
  });

/** Poll until `check` holds; bounded in time, naming what it waited for. */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The few browser globals the check below uses: this folder is type-checked against Node's library, without the DOM's.
interface Box { readonly left: number; readonly right: number; readonly top: number; readonly width: number; readonly height: number }
interface Element { readonly tagName: string; readonly id: string; readonly classList: Iterable<string> & { readonly length: number }; getBoundingClientRect(): Box }
interface BrowserGlobals {
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly scrollY: number;
  readonly document: { readonly documentElement: { readonly scrollWidth: number }; querySelectorAll(selector: string): Iterable<Element> };
  getComputedStyle(element: Element): { readonly visibility: string; readonly opacity: string };
}

/**
 * Visible elements that reach outside the viewport: past either side, or (for `whole`, the selectors that must
 * show without scrolling) past the top or bottom. Also flags a page that scrolls sideways.
 */
export function outsideViewport(page: Page, whole: readonly string[] = []): Promise<string[]> {
  return page.evaluate((wholeSelectors) => {
    const { innerWidth: width, innerHeight: height, scrollY, document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
    const out: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""}`;
    if (document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in ${width}px`);
    for (const el of document.querySelectorAll("body *")) {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || style.opacity === "0") continue;
      if (box.left < -1 || box.right > width + 1) out.push(`${name(el)} spans x ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
    }
    for (const selector of wholeSelectors) {
      for (const el of document.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        // Nothing drawn (display: none, or empty), as in the loop above: its box sits at the scroll offset, wherever that is.
        if (box.width === 0 || box.height === 0) continue;
        const top = box.top + scrollY;
        if (top < -1 || top + box.height > height + 1) out.push(`${selector} spans y ${Math.round(top)}..${Math.round(top + box.height)} of ${height}`);
      }
    }
    return out;
  }, whole);
}

/** Cuts one context's room sockets, as a dropped network would, and keeps new ones from connecting for a while. */
export async function cuttable(context: BrowserContext): Promise<{ cut(ms: number): Promise<void> }> {
  let downUntil = 0;
  const live = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await context.routeWebSocket(/\/rooms\/[^/]+\/ws/, (ws) => {
    // While down a socket opens and closes at once: to the page, a connection that cannot stay up.
    if (Date.now() < downUntil) return void ws.close({ code: 4000, reason: "network down (test)" });
    live.add({ page: ws, server: ws.connectToServer() });
  });
  return {
    async cut(ms) {
      downUntil = Date.now() + ms;
      for (const pair of live) {
        await pair.server.close({ code: 1001, reason: "network down (test)" }).catch(() => undefined);
        await pair.page.close({ code: 4000, reason: "network down (test)" }).catch(() => undefined);
      }
      live.clear();
    },
  };
}
