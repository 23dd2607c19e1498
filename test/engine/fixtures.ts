// A tiny game for engine tests: a counter per team, with actions that reject, throw, or draw randomness.
import { z } from "zod";
import { defineGame, reject } from "../../src/engine/define-game.ts";

export interface CounterState {
  readonly counts: Record<string, number>;
  readonly rolls: number[];
  readonly secret: Record<string, string>;
}

export const counter = defineGame({
  name: "counter",
  teams: ["a", "b"],
  maxPlayers: 4,
  presets: { default: { limit: 5 } },
  setup: (): CounterState => ({ counts: { a: 0, b: 0 }, rolls: [], secret: { a: "alpha", b: "beta" } }),
  actions: {
    add: {
      schema: z.strictObject({ by: z.int().min(1).max(3) }),
      apply(draft, { by }, { player, config }) {
        const next = (draft.counts[player.team] ?? 0) + by;
        if (next > config.limit) return reject("over_limit");
        draft.counts[player.team] = next;
      },
    },
    // Mutates, draws a random number, then throws: the engine must keep none of it.
    explode: {
      schema: z.strictObject({}),
      apply(draft, _payload, { random }) {
        draft.rolls.push(random.next());
        draft.counts.a = 999;
        throw new Error("boom");
      },
    },
    roll: {
      schema: z.strictObject({}),
      apply(draft, _payload, { random }) {
        draft.rolls.push(random.int(100));
      },
    },
  },
  teamView: (state, team) => ({ counts: state.counts, secret: state.secret[team] }),
  endIf: (state) => (Object.values(state.counts).some((c) => c >= 5) ? { winner: "someone" } : undefined),
});

export interface TickerState {
  readonly total: number;
  readonly ticks: number;
  readonly rolls: number[];
}

// A realtime counter whose tick writes, draws, and throws once the total is 13: a failing tick must take back only itself.
export const ticker = defineGame({
  name: "ticker",
  teams: ["a"],
  maxPlayers: 2,
  tickHz: 10,
  presets: { default: {} },
  setup: (): TickerState => ({ total: 0, ticks: 0, rolls: [] }),
  actions: {
    add: {
      schema: z.strictObject({ by: z.int().min(1).max(20) }),
      apply(draft, { by }) {
        draft.total += by;
      },
    },
  },
  tick(draft, _dt, { random }) {
    draft.ticks += 1;
    draft.rolls.push(random.int(100));
    if (draft.total === 13) throw new Error("unlucky");
  },
  teamView: (state) => state,
});
