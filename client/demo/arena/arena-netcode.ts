// A netcode panel (the arena's, the generic page's field): prediction and interpolation toggles to compare, live figures, and the hooks the netcode bench reads.
import type { Netcode, Point } from "../../sdk/index.ts";
import { byId } from "../dom.ts";
import { hooks } from "../hooks.ts";

const FIGURES_EVERY_MS = 500;

export interface NetcodePanel {
  /** What this frame drew: handed to a listening test (`demo.onDraw`). */
  drew(players: Readonly<Record<string, Point>>): void;
  stop(): void;
}

/** `prefix` names the panel's elements in index.html: `<prefix>-predict`, `<prefix>-interpolate`, `<prefix>-figures`. */
export function mountNetcodePanel<Input>(netcode: Netcode<Input>, prefix: "arena" | "field"): NetcodePanel {
  const predict = byId<HTMLInputElement>(`${prefix}-predict`);
  const interpolate = byId<HTMLInputElement>(`${prefix}-interpolate`);
  const figures = byId(`${prefix}-figures`);
  const listening = new AbortController();
  const toggle = (box: HTMLInputElement, key: "predict" | "interpolate") => {
    box.checked = netcode.options[key];
    box.addEventListener("change", () => {
      netcode.options[key] = box.checked;
      // Keys typed into a focused checkbox would not steer (the controls ignore input elements).
      box.blur();
    }, { signal: listening.signal });
  };
  toggle(predict, "predict");
  toggle(interpolate, "interpolate");
  hooks.netcode = netcode as Netcode<unknown>;

  const show = () => {
    const { errors, snaps, delayMs, clock } = netcode.stats;
    const sorted = [...errors].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    figures.textContent = `rtt ${Math.round(clock.rttMs)} ms · others ${Math.round(delayMs)} ms behind · error ${median.toFixed(1)} · snaps ${snaps}`;
  };
  const timer = setInterval(show, FIGURES_EVERY_MS);
  return {
    drew: (players) => hooks.onDraw?.(performance.now(), players),
    stop() {
      clearInterval(timer);
      listening.abort();
      hooks.netcode = undefined;
      figures.textContent = "";
    },
  };
}
