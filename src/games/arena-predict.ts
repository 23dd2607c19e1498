// The arena's client-side prediction: its own movement rule (motion.ts) on the player's view; arena.ts opts in with it.
import type { Prediction } from "../engine/define-game.ts";
import type { ArenaView } from "./arena.ts";
import { moveBy, type Direction } from "./motion.ts";

export const arenaPrediction: Prediction<ArenaView, Direction> & { readonly action: "input" } = {
  action: "input",
  rest: { dx: 0, dy: 0 },
  locate: (view, player) => view.players[player],
  move: (from, input, dt, view) => moveBy(from, input, dt, view),
  acked: (view, player) => view.players[player]?.lastInput,
};
