// The demo's prediction registry: every game whose spec has `predict` is there with that very rule, and its steering passes the game's schema.
import { describe, expect, it } from "vitest";
import { games, type GameName } from "../../src/games/index.ts";
import { predictionOf } from "../../client/demo/generic/predictions.ts";

const predicting = (Object.keys(games) as GameName[]).filter((name) => games[name].predict !== null);

describe("the generic page's prediction registry", () => {
  it("has the games that predict", () => {
    expect(predicting).toEqual(expect.arrayContaining(["arena", "tag"]));
  });

  it.each(predicting)("holds %s's own predict rule", (name) => {
    expect(predictionOf(name)).toBe(games[name].predict);
  });

  it("has nothing for a game that does not predict", () => {
    expect(predictionOf("tic-tac-toe")).toBeUndefined();
    expect(predictionOf("toString")).toBeUndefined();
  });

  it.each(predicting)("%s's steer gives an input its action's schema accepts, at any lag", (name) => {
    const rules = predictionOf(name);
    const schema = games[name].actions[rules?.action ?? ""]?.schema;
    for (const lag of [-3, 0, 2.6, 40]) expect(schema?.safeParse(rules?.steer({ dx: -0.71, dy: 0.71 }, lag)).success, `lag ${lag}`).toBe(true);
  });

  it("clamps tag's lag to its rewind window and rounds it to a tick", () => {
    const steer = (lag: number) => predictionOf("tag")?.steer({ dx: 1, dy: 0 }, lag);
    expect([steer(-3), steer(2.6), steer(40)]).toEqual([{ dx: 1, dy: 0, lag: 0 }, { dx: 1, dy: 0, lag: 3 }, { dx: 1, dy: 0, lag: 8 }]);
  });
});
