// Which screen draws a game: a game with a screen of its own registers it here (one line); every other game gets the generic page.
import type { GameName } from "../../src/games/index.ts";
import type { GameSession } from "../sdk/index.ts";
import { mountArena } from "./arena/arena.ts";
import { mountBattleship } from "./battleship/battleship.ts";
import { mountGeneric } from "./generic/generic.ts";
import type { Hud } from "./panels/hud.ts";

export interface ScreenContext {
  readonly hud: Hud;
  /** Leave this room and quick-play a new match of the same game. */
  readonly playAgain: () => void;
}

/** Mounts a game's screen into the page; returns its unmount. */
export type Screen<N extends GameName> = (session: GameSession<N>, context: ScreenContext) => () => void;

/** A game's own view, by game name: each entry gets that game's typed session. */
const screens: { readonly [N in GameName]?: Screen<N> } = {
  arena: mountArena,
  battleship: mountBattleship,
};

export const hasOwnScreen = (game: string): boolean => Object.hasOwn(screens, game);

export function mountScreen<N extends GameName>(session: GameSession<N>, context: ScreenContext): () => void {
  const own = screens[session.game];
  return own ? own(session, context) : mountGeneric(session, context);
}
