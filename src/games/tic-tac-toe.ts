// Tic-tac-toe: the smallest turn-based game; x and o take turns, the engine applies each move at once.
import { z } from "zod";
import { defineGame, reject } from "../engine/define-game.ts";

export type Mark = "x" | "o";

export interface TicTacToeState {
  /** Nine cells, row by row; "" is empty. */
  readonly board: readonly (Mark | "")[];
  readonly turn: Mark;
  readonly winner: Mark | "draw" | null;
}

const lines = [
  [0, 1, 2], [3, 4, 5], [6, 7, 8],
  [0, 3, 6], [1, 4, 7], [2, 5, 8],
  [0, 4, 8], [2, 4, 6],
] as const;

function winnerOf(board: readonly (Mark | "")[]): Mark | "draw" | null {
  for (const [a, b, c] of lines) {
    const mark = board[a];
    if (mark && mark === board[b] && mark === board[c]) return mark;
  }
  return board.every((cell) => cell !== "") ? "draw" : null;
}

export const ticTacToe = defineGame({
  name: "tic-tac-toe",
  // A player's team is their mark.
  teams: ["x", "o"],
  maxPlayers: 2,
  minPlayers: 2,
  presets: { default: {} },
  // Each team is one player, so a team channel would talk to oneself; spectators may talk to the two players.
  chat: { team: false, spectators: "write" },
  setup: (): TicTacToeState => ({ board: Array(9).fill(""), turn: "x", winner: null }),
  // Only a fresh board takes a new player: nobody is handed a half-played game.
  joinable: (state) => state.board.every((cell) => cell === ""),
  // Leaving a game in progress forfeits it to the other mark.
  leave(draft, player) {
    if (draft.winner === null && draft.board.some((cell) => cell !== "")) draft.winner = player.team === "x" ? "o" : "x";
  },
  actions: {
    place: {
      schema: z.strictObject({ cell: z.int().min(0).max(8) }),
      apply(draft, { cell }, { player, players }) {
        if (Object.keys(players).length < 2) return reject("waiting_for_opponent");
        if (player.team !== draft.turn) return reject("not_your_turn");
        if (draft.board[cell] !== "") return reject("occupied");
        draft.board[cell] = draft.turn;
        draft.winner = winnerOf(draft.board);
        draft.turn = draft.turn === "x" ? "o" : "x";
      },
    },
  },
  endIf: (state) => (state.winner ? { winner: state.winner } : undefined),
});
