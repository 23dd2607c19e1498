// Battleship: two teams hide fleets, then take turns firing; a turn timer fires for a team that waits too long.
import type { Draft } from "immer";
import { z } from "zod";
import { defineGame, reject, type Rejection } from "../engine/define-game.ts";
import type { Random } from "../engine/random.ts";

export interface BattleshipConfig {
  /** Side of the square board. */
  readonly size: number;
  /** Ship lengths, in the order `place` lists them. */
  readonly fleet: readonly number[];
  /** Seconds a team has for each shot before one is fired for it. */
  readonly turnSeconds: number;
}

export interface Ship {
  readonly x: number;
  readonly y: number;
  readonly length: number;
  readonly vertical: boolean;
}

export type Shot = "hit" | "miss";

export interface BattleshipState {
  readonly phase: "placing" | "firing" | "over";
  readonly fleets: Readonly<Record<string, readonly Ship[] | null>>;
  readonly ready: Readonly<Record<string, boolean>>;
  /** Per target team, the shots fired at its board, keyed "x,y". */
  readonly shots: Readonly<Record<string, Readonly<Record<string, Shot>>>>;
  /** Per owner team, the indexes of its sunk ships. */
  readonly sunk: Readonly<Record<string, readonly number[]>>;
  readonly turn: string | null;
  /** When the current turn's timer runs out (ms since the epoch). */
  readonly turnEndsAt: number | null;
  readonly lastShot: { readonly by: string; readonly x: number; readonly y: number; readonly result: Shot; readonly auto: boolean } | null;
  readonly winner: string | null;
}

/** What one team sees: its own fleet, every shot, and an enemy ship only once it is sunk (all of them at the end). */
export interface BattleshipView {
  /** Side of the board, so a client can draw it. */
  readonly size: number;
  /** Ship lengths of each fleet. */
  readonly fleetLengths: readonly number[];
  readonly phase: BattleshipState["phase"];
  readonly turn: string | null;
  readonly turnEndsAt: number | null;
  readonly ready: BattleshipState["ready"];
  readonly lastShot: BattleshipState["lastShot"];
  readonly winner: string | null;
  readonly fleet: readonly Ship[] | null;
  /** Shots at each team's board. */
  readonly shots: BattleshipState["shots"];
  /** Ships known to this audience: its own team's fleet is under `fleet`; here, the sunk (or, at the end, all) others. */
  readonly revealed: Readonly<Record<string, readonly Ship[]>>;
}

const teams = ["red", "blue"] as const;
const MAX_SIZE = 12;

const classic: BattleshipConfig = { size: 10, fleet: [5, 4, 3, 3, 2], turnSeconds: 30 };
// A small board for quick games and tests.
const quick: BattleshipConfig = { size: 6, fleet: [3, 2, 2], turnSeconds: 30 };
const patient: BattleshipConfig = { ...classic, turnSeconds: 45 };
const blitz: BattleshipConfig = { ...quick, turnSeconds: 3 };

export const cellsOf = (ship: Ship): [number, number][] =>
  Array.from({ length: ship.length }, (_, i) => (ship.vertical ? [ship.x, ship.y + i] : [ship.x + i, ship.y]));

const key = (x: number, y: number): string => `${x},${y}`;
const other = (team: string): string => (team === teams[0] ? teams[1] : teams[0]);

/** A fleet's ships if they fit the board without overlapping, else the reason they do not. */
function checkFleet(ships: readonly Ship[], config: BattleshipConfig): Rejection<"wrong_fleet" | "off_board" | "overlap"> | undefined {
  if (ships.length !== config.fleet.length || ships.some((ship, i) => ship.length !== config.fleet[i])) return reject("wrong_fleet");
  const taken = new Set<string>();
  for (const [x, y] of ships.flatMap(cellsOf)) {
    if (x >= config.size || y >= config.size) return reject("off_board");
    if (taken.has(key(x, y))) return reject("overlap");
    taken.add(key(x, y));
  }
  return undefined;
}

function randomFleet(config: BattleshipConfig, random: Random): Ship[] {
  for (;;) {
    const ships = config.fleet.map((length) => {
      const vertical = random.next() < 0.5;
      return { x: random.int(config.size - (vertical ? 0 : length - 1)), y: random.int(config.size - (vertical ? length - 1 : 0)), length, vertical };
    });
    if (!checkFleet(ships, config)) return ships;
  }
}

const placement = z.strictObject({ x: z.int().min(0).max(MAX_SIZE - 1), y: z.int().min(0).max(MAX_SIZE - 1), vertical: z.boolean() });

export const battleship = defineGame({
  name: "battleship",
  teams,
  maxPlayers: 4,
  minPlayers: 2,
  presets: { default: classic, quick, patient, blitz },

  setup: (): BattleshipState => ({
    phase: "placing",
    fleets: { red: null, blue: null },
    ready: { red: false, blue: false },
    shots: { red: {}, blue: {} },
    sunk: { red: [], blue: [] },
    turn: null,
    turnEndsAt: null,
    lastShot: null,
    winner: null,
  }),

  // Teammates may join while fleets are being placed; once the first shot is due, the match is closed to newcomers.
  joinable: (state) => state.phase === "placing",

  // A team whose last player leaves during the firing forfeits.
  leave(draft, player, { players }) {
    if (draft.phase !== "firing" || Object.values(players).some((seat) => seat.team === player.team)) return;
    draft.winner = other(player.team);
    draft.phase = "over";
    draft.turn = null;
    draft.turnEndsAt = null;
  },

  actions: {
    /** Place the whole fleet, ships in the preset's order. */
    place: {
      schema: z.strictObject({ ships: z.array(placement).min(1).max(8) }),
      apply(draft, { ships }, { player, config }) {
        if (draft.phase !== "placing" || draft.ready[player.team]) return reject("not_placing");
        const fleet = ships.map((ship, i) => ({ ...ship, length: config.fleet[i] ?? 0 }));
        const refused = checkFleet(fleet, config);
        if (refused) return refused;
        draft.fleets[player.team] = fleet;
      },
    },
    /** A random fleet from the room's seeded generator; shuffle again for another. */
    shuffle: {
      schema: z.strictObject({}),
      apply(draft, _payload, { player, config, random }) {
        if (draft.phase !== "placing" || draft.ready[player.team]) return reject("not_placing");
        draft.fleets[player.team] = randomFleet(config, random);
      },
    },
    ready: {
      schema: z.strictObject({}),
      apply(draft, _payload, { player, config, now, players }) {
        if (draft.phase !== "placing") return reject("not_placing");
        if (!draft.fleets[player.team]) return reject("no_fleet");
        draft.ready[player.team] = true;
        if (teams.every((team) => draft.ready[team] && Object.values(players).some((seat) => seat.team === team))) {
          draft.phase = "firing";
          draft.turn = teams[0];
          draft.turnEndsAt = now + config.turnSeconds * 1000;
        }
      },
    },
    fire: {
      schema: z.strictObject({ x: z.int().min(0).max(MAX_SIZE - 1), y: z.int().min(0).max(MAX_SIZE - 1) }),
      apply(draft, { x, y }, { player, config, now }) {
        if (draft.phase !== "firing") return reject("not_firing");
        if (draft.turn !== player.team) return reject("not_your_turn");
        if (x >= config.size || y >= config.size) return reject("off_board");
        if (draft.shots[other(player.team)]?.[key(x, y)]) return reject("already_tried");
        shoot(draft, player.team, x, y, false, now, config);
      },
    },
  },

  deadline: (state) => (state.phase === "firing" ? state.turnEndsAt : null),

  // The team that let its timer run out fires at a random cell it has not tried.
  onDeadline(draft, { config, random, now }) {
    const team = draft.turn;
    if (!team) return;
    const tried = draft.shots[other(team)] ?? {};
    const open: [number, number][] = [];
    for (let y = 0; y < config.size; y++) for (let x = 0; x < config.size; x++) if (!tried[key(x, y)]) open.push([x, y]);
    const [x, y] = open[random.int(open.length)] ?? [0, 0];
    shoot(draft, team, x, y, true, now, config);
  },

  teamView: (state, team, config): BattleshipView => viewOf(state, config, state.fleets[team] ?? null, [other(team)]),
  spectatorView: (state, config): BattleshipView => viewOf(state, config, null, teams),
  endIf: (state) => (state.winner ? { winner: state.winner } : undefined),
});

function shoot(draft: Draft<BattleshipState>, team: string, x: number, y: number, auto: boolean, now: number, config: BattleshipConfig): void {
  const target = other(team);
  const fleet = draft.fleets[target] ?? [];
  const shots = (draft.shots[target] ??= {});
  const hitShip = fleet.findIndex((ship) => cellsOf(ship).some(([cx, cy]) => cx === x && cy === y));
  const result: Shot = hitShip >= 0 ? "hit" : "miss";
  shots[key(x, y)] = result;
  const ship = fleet[hitShip];
  if (ship && cellsOf(ship).every(([cx, cy]) => shots[key(cx, cy)] === "hit")) (draft.sunk[target] ??= []).push(hitShip);
  draft.lastShot = { by: team, x, y, result, auto };
  if ((draft.sunk[target]?.length ?? 0) === fleet.length) {
    draft.phase = "over";
    draft.winner = team;
    draft.turn = null;
    draft.turnEndsAt = null;
    return;
  }
  draft.turn = target;
  draft.turnEndsAt = now + config.turnSeconds * 1000;
}

/** Everything public, the audience's own fleet, and the ships of `others` that it may see. */
function viewOf(state: BattleshipState, config: BattleshipConfig, fleet: readonly Ship[] | null, others: readonly string[]): BattleshipView {
  const revealed: Record<string, readonly Ship[]> = {};
  for (const team of others) {
    const ships = state.fleets[team] ?? [];
    revealed[team] = state.phase === "over" ? ships : (state.sunk[team] ?? []).map((i) => ships[i]).filter((s): s is Ship => !!s);
  }
  const { phase, turn, turnEndsAt, ready, lastShot, winner, shots } = state;
  return { size: config.size, fleetLengths: config.fleet, phase, turn, turnEndsAt, ready, lastShot, winner, fleet, shots, revealed };
}
