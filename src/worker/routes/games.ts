// The game catalog (`GET /api/games`: names, presets, teams and each action's JSON Schema) and the page of one game (`/play/:game`).
import { Hono } from "hono";
import { z } from "zod";
import type { Game } from "../../engine/define-game.ts";
import type { CatalogGame, GameCatalog } from "../../protocol/catalog.ts";
import { gameNamed, games } from "../../games/index.ts";
import type { App } from "../edge/seats.ts";

/** What a client may know about a game: all of it is in the game's source, nothing about any room. */
function describeGame(game: Game): CatalogGame {
  return {
    name: game.name,
    teams: game.teams,
    presets: Object.entries(game.presets).map(([name, config]) => ({ name, seats: game.maxPlayers(config) })),
    minPlayers: game.minPlayers,
    realtime: game.realtime,
    tickHz: game.tickHz,
    // The input side: what a client sends, so fields with a default are optional. A schema part JSON Schema
    // cannot say (a transform, a refinement) becomes `{}`: the room still checks it with the zod schema.
    actions: Object.fromEntries(
      Object.entries(game.actions).map(([name, action]) => [name, z.toJSONSchema(action.schema, { io: "input", unrepresentable: "any" })]),
    ),
  };
}

// The registry is fixed per deployment: built once per isolate, on first use.
let catalog: GameCatalog | undefined;
const gameCatalog = (): GameCatalog =>
  (catalog ??= { games: Object.keys(games).flatMap((name) => { const game = gameNamed(name); return game ? [describeGame(game)] : []; }) });

export const catalogRoutes = new Hono<App>()
  .get("/api/games", (c) => c.json(gameCatalog()))
  // The demo is one page; it reads the game from the path. Unknown names get the page too, which says so and links the lobby.
  .get("/play/:game", (c) => c.env.ASSETS.fetch(new URL("/", c.req.url)));
