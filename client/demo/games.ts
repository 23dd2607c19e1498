// How the demo joins a game, the sessions it holds, and the colour and label of each team.
import type { GameName } from "../../src/games/index.ts";
import { type GameSession, joinGame, type JoinKnownRoom, type JoinOptions } from "../sdk/index.ts";

/** A session of any registered game; screens.ts hands each game's own screen its typed session. */
export type DemoSession = GameSession<GameName>;

/** Battleship's 6×6 preset keeps a demo match to a couple of minutes; every other game starts with its default. */
export const presetFor = (game: GameName): string | undefined => (game === "battleship" ? "quick" : undefined);

/** joinGame for a game named at run time (a lobby card, a /play/<game> address). */
export const join = (game: GameName, options: JoinOptions): Promise<DemoSession> => joinGame(game, options);

/** Join a room named by a link or a code, whatever it plays. */
export const joinAny = (options: JoinKnownRoom): Promise<DemoSession> => joinGame(undefined, options);

const teamColors: Readonly<Record<string, string>> = { red: "#ff5d6c", blue: "#4da3ff" };
const palette = ["#4ade80", "#c58bff", "#ffd166", "#5eead4", "#fb923c", "#f472b6"];

/** Red and blue are the arena's and battleship's; any other team name always gets the same colour from a small palette. */
export function teamColor(team: string | undefined): string {
  if (!team) return "#c9cfdf";
  const known = teamColors[team];
  if (known) return known;
  let hash = 0;
  for (const char of team) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? "#c9cfdf";
}

export const teamName = (team: string): string => team.charAt(0).toUpperCase() + team.slice(1);
