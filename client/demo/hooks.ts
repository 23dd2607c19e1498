// window.demo: what browser tests read and click through (the live session, the screen, canvas points), and the SDK for the console.
import * as sdk from "../sdk/index.ts";
import type { Netcode, Point } from "../sdk/index.ts";
import type { DemoSession } from "./games.ts";

export type BoardName = "own" | "target";

export interface DemoHooks {
  session: DemoSession | undefined;
  /** "lobby", or the name of the game on screen. */
  screen: string;
  /** Whether the game on screen is drawn by the generic page (it has no screen of its own). */
  generic: boolean;
  /** Viewport CSS pixels of the centre of a battleship cell. */
  cellPoint(board: BoardName, x: number, y: number): Point;
  /** Viewport CSS pixels of a world point on the field on screen (the arena's, or the generic page's). */
  worldPoint(x: number, y: number): Point;
  /** The netcode of the field on screen (the arena's, or the generic page's): its toggles (`options.predict`, `options.interpolate`) and figures. */
  netcode: Netcode<unknown> | undefined;
  /** Set by a test to hear every drawn frame of that field: when (performance.now) and where everyone was drawn. */
  onDraw: ((at: number, players: Readonly<Record<string, Point>>) => void) | undefined;
  /** The client SDK, to play any registered game from the browser console: `await demo.sdk.joinGame("tag", { via: "quick" })`. */
  readonly sdk: typeof sdk;
}

declare global {
  interface Window {
    demo: DemoHooks;
  }
}

// Off-screen answers while no canvas is mounted, so a test that asks too early clicks nothing.
const nowhere = (): Point => ({ x: -1, y: -1 });

export const hooks: DemoHooks = { session: undefined, screen: "lobby", generic: false, cellPoint: nowhere, worldPoint: nowhere, netcode: undefined, onDraw: undefined, sdk };
window.demo = hooks;

export function resetCanvasHooks(): void {
  hooks.cellPoint = nowhere;
  hooks.worldPoint = nowhere;
}
