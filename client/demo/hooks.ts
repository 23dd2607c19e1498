// window.demo: what browser tests read and click through (the live session, the screen, canvas points), and the SDK for the console.
import * as sdk from "../sdk/index.ts";
import type { Point } from "../sdk/index.ts";
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
  /** Viewport CSS pixels of an arena world point. */
  worldPoint(x: number, y: number): Point;
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

export const hooks: DemoHooks = { session: undefined, screen: "lobby", generic: false, cellPoint: nowhere, worldPoint: nowhere, sdk };
window.demo = hooks;

export function resetCanvasHooks(): void {
  hooks.cellPoint = nowhere;
  hooks.worldPoint = nowhere;
}
