// Tag: a small realtime game; whoever is "it" chases the others, and a touch passes "it" on.
import { z } from "zod";
import { defineGame } from "../engine/define-game.ts";
import { moveBy, type Field } from "./motion.ts";
import { LAG_WINDOW_TICKS, tagPrediction } from "./tag-predict.ts";

export interface TagConfig {
  readonly seats: number;
  /** Side of the square world, and units per second at full input. */
  readonly world: number;
  readonly speed: number;
  /** How close "it" must come to tag someone. */
  readonly reach: number;
  /** Ticks after a tag during which nobody can be tagged, so the new "it" cannot tag straight back. */
  readonly cooldownTicks: number;
  /** Match length in seconds; null plays forever. */
  readonly seconds: number | null;
}

export interface TagPlayer {
  readonly x: number;
  readonly y: number;
  /** The latest input: the direction this player keeps moving in. */
  readonly dx: number;
  readonly dy: number;
  /** Seconds this player has not been "it". */
  readonly score: number;
  /**
   * How many ticks behind the present this player's screen shows the others (its round trip plus its
   * interpolation delay, as its last input said; at most the rewind window): what lag compensation rewinds.
   */
  readonly lag: number;
}

export interface TagState {
  readonly players: Readonly<Record<string, TagPlayer>>;
  readonly it: string | null;
  /** No tag happens before this tick. */
  readonly safeUntil: number;
}

/** Everyone sees everything; the field's size and speed ride along so a client can predict its own moves. */
export type TagView = TagState & Field;

const TICK_HZ = 20;
const endless: TagConfig = { seats: 8, world: 600, speed: 200, reach: 20, cooldownTicks: 20, seconds: null };
const timed: TagConfig = { ...endless, seconds: 60 };

const round2 = (n: number): number => Math.round(n * 100) / 100;
const viewOf = (state: TagState, config: TagConfig): TagView => ({ ...state, world: config.world, speed: config.speed });

export const tag = defineGame({
  name: "tag",
  // Nothing is hidden, so everyone is on one team and every player (and spectator) sees the whole state.
  teams: ["players"],
  maxPlayers: (config) => config.seats,
  minPlayers: 2,
  tickHz: TICK_HZ,
  presets: { default: endless, timed },
  predict: tagPrediction,
  // "It" tags what it saw on its screen, up to 8 ticks (400 ms) ago: see README, "Lag compensation".
  lagCompensation: { windowTicks: LAG_WINDOW_TICKS, positions: (state) => state.players },

  setup: (): TagState => ({ players: {}, it: null, safeUntil: 0 }),

  join(draft, player, { config, random }) {
    const x = round2(random.between(0, config.world));
    const y = round2(random.between(0, config.world));
    draft.players[player.id] = { x, y, dx: 0, dy: 0, score: 0, lag: 0 };
    draft.it ??= player.id;
  },

  leave(draft, player, { random }) {
    delete draft.players[player.id];
    if (draft.it !== player.id) return;
    const ids = Object.keys(draft.players);
    draft.it = ids[random.int(ids.length)] ?? null;
  },

  actions: {
    // Actions only record intent; tick() moves everyone at the same fixed rate.
    input: {
      schema: z.strictObject({ dx: z.number().min(-1).max(1), dy: z.number().min(-1).max(1), lag: z.int().min(0).max(LAG_WINDOW_TICKS).default(0) }),
      apply(draft, { dx, dy, lag }, { player }) {
        const p = draft.players[player.id];
        if (!p) return;
        p.dx = dx;
        p.dy = dy;
        if (p.lag !== lag) p.lag = lag;
      },
    },
  },

  tick(draft, dt, { config, tick, past }) {
    for (const [id, p] of Object.entries(draft.players)) {
      const { x, y } = moveBy(p, p, dt, config);
      // Writing only what changed keeps a still player identical by reference, so its diff is free.
      if (x !== p.x) p.x = x;
      if (y !== p.y) p.y = y;
      if (id !== draft.it) p.score = round2(p.score + dt);
    }
    const it = draft.it === null ? undefined : draft.players[draft.it];
    if (!it || tick < draft.safeUntil) return;
    // Lag compensation: "it" also catches whoever was within reach where its screen showed them, `it.lag`
    // ticks ago (this tick's positions are recorded as tick + 1); its own place is the present one.
    const seen = it.lag > 0 ? past?.(tick + 1 - it.lag) : undefined;
    const near = (p: { x: number; y: number } | undefined) => p !== undefined && Math.hypot(p.x - it.x, p.y - it.y) <= config.reach;
    const caught = Object.entries(draft.players).find(([id, p]) => id !== draft.it && (near(p) || near(seen?.[id])));
    if (!caught) return;
    draft.it = caught[0];
    draft.safeUntil = tick + config.cooldownTicks;
  },

  teamView: (state, _team, config) => viewOf(state, config),
  spectatorView: viewOf,

  endIf(state, { config, tick }) {
    if (config.seconds === null || tick < config.seconds * TICK_HZ) return undefined;
    const [winner] = Object.entries(state.players).sort(([, a], [, b]) => b.score - a.score)[0] ?? [null];
    return { winner };
  },
});
