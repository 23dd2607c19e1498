// Compile-time tests (checked by `npm run typecheck`): each shipped game's actions, view, result and reasons reach the SDK typed.
import { describe, expectTypeOf, it } from "vitest";
import type { GameSession } from "../../client/sdk/game-session.ts";
import type { RoomClient } from "../../client/sdk/room-client.ts";
import type { ArenaView } from "../../src/games/arena.ts";
import type { BattleshipView } from "../../src/games/battleship.ts";
import type { TagView } from "../../src/games/tag.ts";
import type { Mark, TicTacToeState } from "../../src/games/tic-tac-toe.ts";
import type { games } from "../../src/games/index.ts";
import type { ActionsOf, GameError, ReasonOf, ResultOf, ViewOf } from "../../src/protocol/game-types.ts";
import type { RoomView } from "../../src/protocol/messages.ts";

// Never called: only the compiler runs these bodies. Each `@ts-expect-error` fails the build if the line compiles.
declare const arena: GameSession<"arena">;
declare const battleship: GameSession<"battleship">;
declare const ticTacToe: GameSession<"tic-tac-toe">;
declare const tag: GameSession<"tag">;

describe("arena", () => {
  it("takes exactly its actions, with their payloads, and no annotation", () => {
    arena.send("input", { dx: 1, dy: -0.5 });
    // `label` has a default in the schema, so a client may leave it out.
    arena.send("ping", { x: 10, y: 20 });
    arena.send("ping", { x: 10, y: 20, label: "go" });
    // @ts-expect-error no such action
    arena.send("teleport", { x: 1 });
    // @ts-expect-error dx is a number
    arena.send("input", { dx: "1" });
    // @ts-expect-error dx is a number (dy given, so this is the only fault)
    arena.send("input", { dx: "1", dy: 0 });
    // @ts-expect-error dy is missing
    arena.send("input", { dx: 1 });
    // @ts-expect-error strict schema: no extra keys
    arena.send("input", { dx: 1, dy: 0, dz: 0 });
    expectTypeOf<ActionsOf<typeof games.arena>>().toEqualTypeOf<{ input: { dx: number; dy: number }; ping: { x: number; y: number; label?: string | undefined } }>();
  });

  it("has its view typed, down to each field", () => {
    expectTypeOf(arena.view).toEqualTypeOf<RoomView<ArenaView> | undefined>();
    expectTypeOf(arena.view?.game?.players).toEqualTypeOf<ArenaView["players"] | undefined>();
    // @ts-expect-error misspelled view field
    void arena.view?.game?.plaeyrs;
  });

  it("has no result of its own, since it never ends by itself (null once abandoned)", () => {
    expectTypeOf(arena.result).toEqualTypeOf<null | undefined>();
    expectTypeOf<ReasonOf<typeof games.arena>>().toEqualTypeOf<never>();
  });
});

describe("battleship", () => {
  it("takes exactly its actions", () => {
    battleship.send("place", { ships: [{ x: 0, y: 0, vertical: true }] });
    battleship.send("shuffle", {});
    battleship.send("ready", {});
    battleship.send("fire", { x: 3, y: 4 });
    // @ts-expect-error no such action
    battleship.send("teleport", { x: 1 });
    // @ts-expect-error battleship has no input action
    battleship.send("input", { dx: "1" });
    // @ts-expect-error coordinates are numbers
    battleship.send("fire", { x: "3", y: 4 });
    // @ts-expect-error a placement needs `vertical`
    battleship.send("place", { ships: [{ x: 0, y: 0 }] });
  });

  it("has its view, result and reasons typed", () => {
    expectTypeOf(battleship.view?.game).toEqualTypeOf<BattleshipView | null | undefined>();
    // @ts-expect-error misspelled view field
    void battleship.view?.game?.fleets;
    expectTypeOf(battleship.result).toEqualTypeOf<{ winner: string } | null | undefined>();
    expectTypeOf<ReasonOf<typeof games.battleship>>().toEqualTypeOf<
      "wrong_fleet" | "off_board" | "overlap" | "not_placing" | "no_fleet" | "not_firing" | "not_your_turn" | "already_tried"
    >();
  });
});

describe("tic-tac-toe", () => {
  it("takes exactly its one action", () => {
    ticTacToe.send("place", { cell: 4 });
    // @ts-expect-error no such action
    ticTacToe.send("teleport", { x: 1 });
    // @ts-expect-error tic-tac-toe has no input action
    ticTacToe.send("input", { dx: "1" });
    // @ts-expect-error cell is a number
    ticTacToe.send("place", { cell: "4" });
  });

  it("has its view, result and reasons typed", () => {
    expectTypeOf(ticTacToe.view?.game?.board).toEqualTypeOf<TicTacToeState["board"] | undefined>();
    // @ts-expect-error misspelled view field
    void ticTacToe.view?.game?.bord;
    expectTypeOf(ticTacToe.result).toEqualTypeOf<{ winner: Mark | "draw" } | null | undefined>();
    ticTacToe.onError((error) => {
      if (error.code === "rejected") expectTypeOf(error.detail).toEqualTypeOf<"waiting_for_opponent" | "not_your_turn" | "occupied">();
      else expectTypeOf(error.detail).toEqualTypeOf<string | undefined>();
    });
  });
});

describe("tag", () => {
  it("takes exactly its one action", () => {
    tag.send("input", { dx: 0, dy: 1 });
    // @ts-expect-error no such action
    tag.send("teleport", { x: 1 });
    // @ts-expect-error dx is a number
    tag.send("input", { dx: "1" });
    // @ts-expect-error dx is a number (dy given, so this is the only fault)
    tag.send("input", { dx: "1", dy: 0 });
  });

  it("has its view and result typed; it rejects nothing", () => {
    expectTypeOf<ViewOf<typeof games.tag>>().toEqualTypeOf<TagView>();
    // @ts-expect-error misspelled view field
    void tag.view?.game?.itt;
    expectTypeOf(tag.result).toEqualTypeOf<{ winner: string | null } | null | undefined>();
    expectTypeOf<ResultOf<typeof games.tag>>().toEqualTypeOf<{ winner: string | null }>();
    expectTypeOf<ReasonOf<typeof games.tag>>().toEqualTypeOf<never>();
  });
});

describe("RoomClient", () => {
  it("is typed over a game the same way", () => {
    const client = null as unknown as RoomClient<typeof games.arena>;
    client.send("input", { dx: 0, dy: 0 });
    // @ts-expect-error no such action
    client.send("teleport", { x: 1 });
    expectTypeOf<Parameters<NonNullable<Parameters<typeof ticTacToe.onError>[0]>>[0]>().toEqualTypeOf<GameError<typeof games["tic-tac-toe"]>>();
  });
});

describe("chat", () => {
  it("takes only the protocol's channels, and a recipient exactly for a whisper", () => {
    arena.chat.send("all", "gg");
    arena.chat.send("team", "left flank");
    battleship.chat.send("whisper", "psst", "player-id");
    // @ts-expect-error no such channel
    arena.chat.send("shout", "hi");
    // @ts-expect-error a whisper needs its recipient
    arena.chat.send("whisper", "psst");
    // @ts-expect-error only a whisper takes a recipient
    arena.chat.send("all", "hi", "player-id");
    // @ts-expect-error the text is a string
    arena.chat.send("all", 42);
    expectTypeOf(arena.chat.lines[0]?.channel).toEqualTypeOf<"all" | "team" | "whisper" | undefined>();
    expectTypeOf(arena.chat.unread).parameter(0).toEqualTypeOf<"all" | "team" | "whisper" | undefined>();
  });
});
