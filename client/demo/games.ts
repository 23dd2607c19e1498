// The games this demo plays: their session types, how it joins them, and the colour of each team.
import { type AnyGameSession, type GameSession, joinGame, type JoinKnownRoom, type JoinOptions } from "../sdk/index.ts";

export type DemoGame = "arena" | "battleship";
export type DemoSession = GameSession<"arena"> | GameSession<"battleship">;

export const isDemoGame = (game: unknown): game is DemoGame => game === "arena" || game === "battleship";

const isDemoSession = (session: AnyGameSession): session is DemoSession => isDemoGame(session.game);

/** Battleship's 6×6 preset keeps a demo match to a couple of minutes; the arena's default suits a crowd. */
export const presetFor = (game: DemoGame): string | undefined => (game === "battleship" ? "quick" : undefined);

/** joinGame over the union: each branch keeps its game's typed session. */
export const join = (game: DemoGame, options: JoinOptions): Promise<DemoSession> =>
  game === "arena" ? joinGame("arena", options) : joinGame("battleship", options);

/** Join a room named by a link or a code, whatever it plays, as long as this demo can draw it. */
export async function joinAny(options: JoinKnownRoom): Promise<DemoSession> {
  const session = await joinGame(undefined, options);
  if (isDemoSession(session)) return session;
  session.leave();
  throw new Error(`this demo does not draw ${session.game}`);
}

const teamColors: Readonly<Record<string, string>> = { red: "#ff5d6c", blue: "#4da3ff" };
export const teamColor = (team: string | undefined): string => teamColors[team ?? ""] ?? "#c9cfdf";
export const teamName = (team: string): string => team.charAt(0).toUpperCase() + team.slice(1);
