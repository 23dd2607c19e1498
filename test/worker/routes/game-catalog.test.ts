// GET /api/games: every registered game with its presets, teams and each action's JSON Schema, as the generic page reads it.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { GameCatalog } from "../../../src/protocol/catalog.ts";
import { games } from "../../../src/games/index.ts";

const catalog = async (): Promise<GameCatalog> => (await exports.default.fetch("http://room.test/api/games")).json();

describe("the game catalog", () => {
  it("lists every registered game, in registry order", async () => {
    expect((await catalog()).games.map((game) => game.name)).toEqual(Object.keys(games));
  });

  it("describes a turn-based game: teams, presets with their seats, and each action's input schema", async () => {
    const ticTacToe = (await catalog()).games.find((game) => game.name === "tic-tac-toe");
    expect(ticTacToe).toMatchObject({ teams: ["x", "o"], presets: [{ name: "default", seats: 2 }], minPlayers: 2, realtime: false, tickHz: 0 });
    expect(ticTacToe?.actions["place"]).toMatchObject({
      type: "object",
      properties: { cell: { type: "integer", minimum: 0, maximum: 8 } },
      required: ["cell"],
      additionalProperties: false,
    });
  });

  it("describes a realtime game, and a field with a default as optional", async () => {
    const arena = (await catalog()).games.find((game) => game.name === "arena");
    expect(arena).toMatchObject({ realtime: true, tickHz: 20 });
    expect(arena?.presets.map((preset) => preset.name)).toEqual(Object.keys(games.arena.presets));
    expect(arena?.actions["ping"]).toMatchObject({ properties: { label: { type: "string", maxLength: 24, default: "" } }, required: ["x", "y"] });
  });
});
