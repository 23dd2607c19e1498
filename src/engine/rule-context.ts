// What a game's rule is given (config, tick, time, roster, a generator made on first use), as one object of one shape.
import type { GameContext, PlayerInfo } from "./define-game.ts";
import { createRandom, type Random } from "./random.ts";
import type { MatchRecord } from "./record.ts";

/**
 * What a rule is given: a step's rules are most of its cost, so this is one object of one shape, and its generator
 * is made only when the rule draws (most draw nothing). An action's has its player and seq.
 */
export class RuleContext<Config> {
  readonly config: Config;
  readonly tick: number;
  readonly now: number;
  readonly players: MatchRecord["players"];
  readonly past: GameContext<Config>["past"];
  readonly player: PlayerInfo | undefined;
  readonly seq: number | undefined;
  #rng: number;
  #random: Random | undefined;

  constructor(config: Config, tick: number, now: number, players: MatchRecord["players"], past: GameContext<Config>["past"], rng: number, player?: PlayerInfo, seq?: number) {
    this.config = config;
    this.tick = tick;
    this.now = now;
    this.players = players;
    this.past = past;
    this.player = player;
    this.seq = seq;
    this.#rng = rng;
  }

  get random(): Random {
    return (this.#random ??= createRandom(this.#rng));
  }

  /** The generator's state after the rule: unchanged unless it drew. */
  rngAfter(): number {
    return this.#random === undefined ? this.#rng : this.#random.state;
  }
}
