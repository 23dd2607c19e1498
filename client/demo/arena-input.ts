// Arena controls: held keys give a direction; a held pointer (or a touch drag) steers; a short tap or Space pings.
import type { Point } from "../sdk/index.ts";

export interface ArenaInput {
  /** The direction of the held movement keys, or undefined when none is held. */
  keys(): Point | undefined;
  /** The viewport point a held pointer steers toward, once the press is clearly not a tap. */
  steering(): Point | undefined;
  stop(): void;
}

const MOVES: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0], KeyA: [-1, 0], ArrowRight: [1, 0], KeyD: [1, 0],
  ArrowUp: [0, -1], KeyW: [0, -1], ArrowDown: [0, 1], KeyS: [0, 1],
};
const PING_KEYS = new Set(["Space", "KeyE"]);
// A press shorter and stiller than this is a tap (ping); anything longer or farther is movement.
const TAP_MS = 220;
const TAP_PX = 10;

/** `ping` gets the viewport point to ping, or undefined for "where I stand" (a key press off the canvas). */
export function listenArenaInput(canvas: HTMLCanvasElement, ping: (at: Point | undefined) => void): ArenaInput {
  const held = new Set<string>();
  const listening = new AbortController();
  const { signal } = listening;
  let press: { id: number; start: Point; at: Point; since: number } | undefined;
  let hover: Point | undefined;

  const typing = (event: KeyboardEvent) => event.target instanceof HTMLInputElement;
  addEventListener("keydown", (event) => {
    if (typing(event) || event.metaKey || event.ctrlKey) return;
    if (event.code in MOVES) held.add(event.code);
    else if (PING_KEYS.has(event.code) && !event.repeat) ping(hover);
    else return;
    // Arrows and Space would otherwise scroll the page under the game.
    event.preventDefault();
  }, { signal });
  addEventListener("keyup", (event) => held.delete(event.code), { signal });
  // Keys released while the tab is hidden never send keyup: forget them rather than run forever.
  addEventListener("blur", () => held.clear(), { signal });

  canvas.addEventListener("pointerdown", (event) => {
    if (press) return;
    canvas.setPointerCapture(event.pointerId);
    const at = { x: event.clientX, y: event.clientY };
    press = { id: event.pointerId, start: at, at, since: performance.now() };
  }, { signal });
  canvas.addEventListener("pointermove", (event) => {
    hover = { x: event.clientX, y: event.clientY };
    if (press?.id === event.pointerId) press.at = hover;
  }, { signal });
  canvas.addEventListener("pointerleave", () => (hover = undefined), { signal });
  const release = (event: PointerEvent, cancelled: boolean) => {
    if (press?.id !== event.pointerId) return;
    if (!cancelled && isTap(press, performance.now())) ping(press.at);
    press = undefined;
  };
  canvas.addEventListener("pointerup", (event) => release(event, false), { signal });
  canvas.addEventListener("pointercancel", (event) => release(event, true), { signal });

  return {
    keys() {
      let x = 0;
      let y = 0;
      for (const code of held) {
        x += MOVES[code]?.[0] ?? 0;
        y += MOVES[code]?.[1] ?? 0;
      }
      return x === 0 && y === 0 ? undefined : { x, y };
    },
    steering: () => (press && !isTap(press, performance.now()) ? press.at : undefined),
    stop: () => listening.abort(),
  };
}

function isTap(press: { start: Point; at: Point; since: number }, now: number): boolean {
  return now - press.since < TAP_MS && Math.hypot(press.at.x - press.start.x, press.at.y - press.start.y) < TAP_PX;
}
