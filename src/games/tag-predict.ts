// Tag's client-side prediction: its own movement rule (motion.ts) on the player's view; tag.ts opts in with it.
import type { Prediction } from "../engine/define-game.ts";
import type { TagView } from "./tag.ts";
import { moveBy, type Direction } from "./motion.ts";

/** How far back "it" may be believed, in ticks (400 ms at 20 Hz): the bound on what a slow connection can claim. */
export const LAG_WINDOW_TICKS = 8;

/** Tag's input: a direction and how many ticks behind the present the sender's screen shows the others. */
export interface TagInput extends Direction {
  readonly lag: number;
}

export const tagPrediction = {
  action: "input",
  rest: { dx: 0, dy: 0, lag: 0 },
  locate: (view, player) => view.players[player],
  move: (from, input, dt, view) => moveBy(from, input, dt, view),
  world: (view) => view.world,
  // The screen's lag, within the window the schema allows: a slower screen is believed only this far back.
  steer: ({ dx, dy }, lagTicks) => ({ dx, dy, lag: Math.min(LAG_WINDOW_TICKS, Math.max(0, Math.round(lagTicks))) }),
} satisfies Prediction<TagView, TagInput> & { readonly action: "input" };
