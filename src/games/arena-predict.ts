// The arena's client-side prediction: its own movement rule (motion.ts) on the player's view; arena.ts opts in with it.
import type { Prediction } from "../engine/define-game.ts";
import type { ArenaView } from "./arena.ts";
import { moveBy, type Direction } from "./motion.ts";

export const arenaPrediction = {
  action: "input",
  rest: { dx: 0, dy: 0 },
  // The view lists who (`players`) and where (`at`) in the same order.
  locate: (view, player) => {
    const at = view.at[view.players.findIndex((p) => p.id === player)];
    return at && { x: at[0], y: at[1] };
  },
  move: (from, input, dt, view) => moveBy(from, input, dt, view),
  world: (view) => view.world,
  steer: ({ dx, dy }) => ({ dx, dy }),
} satisfies Prediction<ArenaView, Direction> & { readonly action: "input" };
