// Arena: a realtime team game (move, collect orbs, ping teammates) under fog of war; also the benchmark load.
import { z } from "zod";
import { defineGame } from "../engine/define-game.ts";
import type { Random } from "../engine/random.ts";
import { arenaPrediction } from "./arena-predict.ts";
import { moveBy } from "./motion.ts";

export interface ArenaConfig {
  /** Seats in a room. */
  readonly seats: number;
  /** Side of the square world. */
  readonly world: number;
  /** Units per second at full input. */
  readonly speed: number;
  /** Enemies farther than this from every teammate are hidden; null shows everyone. */
  readonly fogRadius: number | null;
  /** Orbs on the field at any time. */
  readonly orbs: number;
  readonly orbRadius: number;
  /** How long a team ping stays up, in ticks; null disables pings. */
  readonly pingTicks: number | null;
  /** Obstacles placed at setup that never change (the bench-static preset's 10,000 entities). */
  readonly obstacles: number;
  /**
   * Players spawn at most this far (along each axis) from the centre, each team on its own side of it; null
   * spawns anywhere. At `fogRadius / (2√2)` or less every two spawns are within sight of each other.
   */
  readonly spawnNear: number | null;
}

export interface ArenaPlayer {
  readonly id: string;
  readonly team: string;
  readonly x: number;
  readonly y: number;
  readonly score: number;
  /** The latest input: private, no view holds it; 0, 0 until one arrives. */
  readonly dx: number;
  readonly dy: number;
}

/** A player as a view lists it; where the player is comes apart, in the view's `at`. */
export interface ArenaMember {
  readonly id: string;
  readonly team: string;
  readonly score: number;
}

/** A position, `[x, y]`. */
export type Position = readonly [x: number, y: number];

export interface Orb {
  readonly x: number;
  readonly y: number;
}

export interface Ping {
  readonly x: number;
  readonly y: number;
  /** What the pinging player wants the team to know ("go here"). */
  readonly label: string;
  readonly by: string;
  readonly until: number;
}

export interface ArenaState {
  readonly players: Readonly<Record<string, ArenaPlayer>>;
  readonly orbs: Readonly<Record<string, Orb>>;
  readonly scores: Readonly<Record<string, number>>;
  readonly pings: Readonly<Record<string, Ping | null>>;
  readonly obstacles: Readonly<Record<string, Orb>>;
}

/**
 * What one team sees: its own players, enemies in sight, orbs, scores, and its own ping. Shaped for the wire:
 * what changes every tick (positions) is one array apart from what changes rarely, so a tick's patch is one
 * `replace` of `/game/at` instead of ops that each repeat a player's path. A player's input is acknowledged by
 * the update itself (its `ack`), not by the view.
 */
export interface ArenaView {
  /** Side of the square world and the fog radius (null: no fog), so a client can draw them; the speed, so it can predict. */
  readonly world: number;
  readonly speed: number;
  readonly fogRadius: number | null;
  /** The players this audience sees, in the order they joined. */
  readonly players: readonly ArenaMember[];
  /** Where each of `players` is, in the same order. */
  readonly at: readonly Position[];
  readonly orbs: Readonly<Record<string, Orb>>;
  readonly scores: Readonly<Record<string, number>>;
  readonly ping: Ping | null;
  readonly obstacles: Readonly<Record<string, Orb>>;
}

const teams = ["red", "blue"] as const;
const WORLD = 1000;

const round2 = (n: number): number => Math.round(n * 100) / 100;
const randomPoint = (random: Random, world: number): Orb => ({
  x: round2(random.between(0, world)),
  y: round2(random.between(0, world)),
});

// Fogged, yet two players start in sight of each other (spawns near the centre) and then race apart for orbs.
// The orb radius is a player's (16) plus an orb's (9) as the demo draws them, and a little: touching one takes it.
const FOG = 250;
const play: ArenaConfig = { seats: 16, world: WORLD, speed: 200, fogRadius: FOG, orbs: 12, orbRadius: 28, pingTicks: 60, obstacles: 0, spawnNear: Math.floor(FOG / (2 * Math.SQRT2)) };
// Two against two.
const squad: ArenaConfig = { ...play, seats: 4 };
// The benchmark scenario (shared/bench/arena.md): no pickups, no fog, no pings, up to 64 players.
const bench: ArenaConfig = { seats: 64, world: WORLD, speed: 200, fogRadius: null, orbs: 0, orbRadius: 0, pingTicks: null, obstacles: 0, spawnNear: null };
// The benchmark plus 10,000 static entities in every view: a tick's cost must follow what changed, not the state's size.
const benchStatic: ArenaConfig = { ...bench, obstacles: 10_000 };

export const arena = defineGame({
  name: "arena",
  teams,
  maxPlayers: (config) => config.seats,
  minPlayers: 2,
  tickHz: 20,
  presets: { default: play, squad, bench, "bench-static": benchStatic },
  predict: arenaPrediction,
  // Version 1 kept the latest inputs in a map of their own; version 2 keeps each on its player.
  version: 2,
  migrate: (state, fromVersion) => (fromVersion === 1 ? fromVersion1(state) : null),

  setup: ({ config, random }): ArenaState => ({
    players: {},
    orbs: Object.fromEntries(Array.from({ length: config.orbs }, (_, i) => [`o${i}`, randomPoint(random, config.world)])),
    scores: { red: 0, blue: 0 },
    pings: { red: null, blue: null },
    obstacles: Object.fromEntries(Array.from({ length: config.obstacles }, (_, i) => [`b${i}`, randomPoint(random, config.world)])),
  }),

  join(draft, player, { config, random }) {
    const spawn = config.spawnNear === null ? randomPoint(random, config.world) : nearCentre(random, config, player.team);
    draft.players[player.id] = { id: player.id, team: player.team, ...spawn, score: 0, dx: 0, dy: 0 };
  },

  leave(draft, player) {
    delete draft.players[player.id];
  },

  actions: {
    input: {
      schema: z.strictObject({ dx: z.number().min(-1).max(1), dy: z.number().min(-1).max(1) }),
      apply(draft, { dx, dy }, { player }) {
        const p = draft.players[player.id];
        if (!p) return;
        // An input like the last one writes nothing: the player stays the same object, and its diff is free. Read
        // first: a write through the draft asks the prototype chain for a setter even when the value is the same.
        if (p.dx !== dx) p.dx = dx;
        if (p.dy !== dy) p.dy = dy;
      },
    },
    ping: {
      schema: z.strictObject({ x: z.number().min(0).max(WORLD), y: z.number().min(0).max(WORLD), label: z.string().max(24).default("") }),
      apply(draft, { x, y, label }, { player, tick, config }) {
        if (config.pingTicks === null) return;
        draft.pings[player.team] = { x: round2(x), y: round2(y), label, by: player.id, until: tick + config.pingTicks };
      },
    },
  },

  tick(draft, dt, ctx) {
    const { config } = ctx;
    // Every read of a draft goes through a proxy: the roster (a plain object, the same players in the same order)
    // lists the ids, each player is read once, and the orbs below test the positions read here.
    const here: { readonly id: string; readonly x: number; readonly y: number }[] = [];
    for (const id of Object.keys(ctx.players)) {
      const p = draft.players[id];
      if (!p) continue;
      const { x, y, dx, dy } = p;
      const to = dx === 0 && dy === 0 ? { x, y } : moveBy({ x, y }, { dx, dy }, dt, config);
      // Writing only what changed keeps untouched players identical by reference, so their diff is free.
      if (to.x !== x) p.x = to.x;
      if (to.y !== y) p.y = to.y;
      here.push({ id, ...to });
    }
    // Reading `draft.orbs` drafts it even when there are none (the bench presets).
    for (const [orbId, orb] of config.orbs === 0 ? [] : Object.entries(draft.orbs)) {
      const taker = here.find((p) => Math.hypot(p.x - orb.x, p.y - orb.y) <= config.orbRadius);
      const p = taker && draft.players[taker.id];
      if (!p) continue;
      p.score += 1;
      draft.scores[p.team] = (draft.scores[p.team] ?? 0) + 1;
      draft.orbs[orbId] = randomPoint(ctx.random, config.world);
    }
    if (config.pingTicks === null) return;
    for (const team of teams) {
      const ping = draft.pings[team];
      if (ping && ping.until <= ctx.tick) draft.pings[team] = null;
    }
  },

  teamView: (state, team, config): ArenaView =>
    viewOf(state, config, config.fogRadius === null ? everyone(state) : listed(visible(state.players, [team], config.fogRadius)), state.pings[team] ?? null),

  // Spectators see only what every team sees: a player hidden from any team is hidden from them.
  spectatorView: (state, config): ArenaView =>
    viewOf(state, config, config.fogRadius === null ? everyone(state) : listed(visible(state.players, teams, config.fogRadius)), null),
});

/** A version 1 state, its `inputs` moved onto the players; null for anything else. */
function fromVersion1(state: unknown): ArenaState | null {
  if (typeof state !== "object" || state === null || !("players" in state) || !("inputs" in state)) return null;
  const { inputs, players, ...rest } = state as Omit<ArenaState, "players"> & {
    players: Record<string, Omit<ArenaPlayer, "dx" | "dy">>;
    inputs: Record<string, { dx: number; dy: number } | undefined>;
  };
  const moved = Object.entries(players).map(([id, p]) => [id, { ...p, dx: inputs[id]?.dx ?? 0, dy: inputs[id]?.dy ?? 0 }]);
  return { ...rest, players: Object.fromEntries(moved) };
}

/** A spawn within `spawnNear` of the centre on each axis: red on the left of it, every other team on the right. */
function nearCentre(random: Random, config: ArenaConfig, team: string): Orb {
  const centre = config.world / 2;
  const near = config.spawnNear ?? 0;
  const x = team === teams[0] ? random.between(centre - near, centre) : random.between(centre, centre + near);
  return { x: round2(x), y: round2(random.between(centre - near, centre + near)) };
}

/** The players every one of `viewers` can see: its own, and others within `radius` of one of its players. */
function visible(players: Readonly<Record<string, ArenaPlayer>>, viewers: readonly string[], radius: number): ArenaPlayer[] {
  const all = Object.values(players);
  const seenBy = (team: string, p: ArenaPlayer) =>
    p.team === team || all.some((o) => o.team === team && Math.hypot(o.x - p.x, o.y - p.y) <= radius);
  return all.filter((p) => viewers.every((team) => seenBy(team, p)));
}

/** An audience's view around the lists of players it is shown, written key by key: every view one literal of one shape, no spread. */
const viewOf = (state: ArenaState, config: ArenaConfig, lists: Pick<ArenaView, "players" | "at">, ping: Ping | null): ArenaView => ({
  world: config.world,
  speed: config.speed,
  fogRadius: config.fogRadius,
  players: lists.players,
  at: lists.at,
  orbs: state.orbs,
  scores: state.scores,
  ping,
  obstacles: state.obstacles,
});

/** The view's two lists of the shown players: who they are, and where. */
const listed = (shown: readonly ArenaPlayer[]): Pick<ArenaView, "players" | "at"> => ({
  players: shown.map(({ id, team, score }) => ({ id, team, score })),
  at: positions(shown),
});

const positions = (shown: readonly ArenaPlayer[]): Position[] => shown.map(({ x, y }): Position => [x, y]);

/** Without fog every audience shows every player: built once per state's players, the same lists for every team. */
const everyoneBy = new WeakMap<ArenaState["players"], Pick<ArenaView, "players" | "at">>();

/**
 * The members every audience was last shown without fog, by the state's scores: a room's state keeps that object
 * until a score changes. A tick that moved players but changed no one's id, team or score shows the same list
 * (checked), so its diff is skipped by reference instead of comparing every member.
 */
const membersBy = new WeakMap<ArenaState["scores"], readonly ArenaMember[]>();

function everyone(state: ArenaState): Pick<ArenaView, "players" | "at"> {
  let lists = everyoneBy.get(state.players);
  if (lists === undefined) {
    const shown = Object.values(state.players);
    const last = membersBy.get(state.scores);
    lists = last !== undefined && sameMembers(last, shown) ? { players: last, at: positions(shown) } : listed(shown);
    everyoneBy.set(state.players, lists);
    membersBy.set(state.scores, lists.players);
  }
  return lists;
}

const sameMembers = (members: readonly ArenaMember[], shown: readonly ArenaPlayer[]): boolean =>
  members.length === shown.length && shown.every((p, i) => {
    const member = members[i] as ArenaMember;
    return member.id === p.id && member.team === p.team && member.score === p.score;
  });

/** One shown player with its position, or undefined when this view does not show it: how a reader joins `players` and `at`. */
export function shownPlayer(view: Pick<ArenaView, "players" | "at">, id: string): (ArenaMember & { readonly x: number; readonly y: number }) | undefined {
  const i = view.players.findIndex((p) => p.id === id);
  const at = view.at[i];
  return i === -1 || !at ? undefined : { ...(view.players[i] as ArenaMember), x: at[0], y: at[1] };
}
