// The prediction rule of every game that has one, for the generic page's field: one line per game with `predict`.
import { arenaPrediction } from "../../../src/games/arena-predict.ts";
import { tagPrediction } from "../../../src/games/tag-predict.ts";
import type { GameName } from "../../../src/games/index.ts";
import type { Prediction } from "../../../src/protocol/prediction.ts";

/** A prediction rule the field can steer with: its view and input are the game's, unknown to the page. */
export type SteerablePrediction = Prediction<unknown, unknown> & Required<Pick<Prediction<unknown, unknown>, "steer">>;

// The game's predict module, never its game file: that one imports zod, which must not reach the bundle.
const predictions: { readonly [N in GameName]?: SteerablePrediction } = {
  arena: arenaPrediction,
  tag: tagPrediction,
};

export const predictionOf = (game: string): SteerablePrediction | undefined =>
  Object.hasOwn(predictions, game) ? predictions[game as GameName] : undefined;
