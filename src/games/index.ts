// The game registry: one line per game.
import type { Game } from "../engine/define-game.ts";
import { arena } from "./arena.ts";
import { battleship } from "./battleship.ts";
import { ticTacToe } from "./tic-tac-toe.ts";
import { tag } from "./tag.ts";

export const games = {
  arena,
  battleship,
  "tic-tac-toe": ticTacToe,
  tag,
};

export type GameName = keyof typeof games;

export const gameNamed = (name: string): Game | undefined =>
  Object.hasOwn(games, name) ? (games[name as GameName] as unknown as Game) : undefined;
