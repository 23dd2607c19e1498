// A client that resumes after its room migrated to a new game version ends up holding the migrated state.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyOps } from "../../../client/sdk/patch.ts";
import type { Game } from "../../../src/engine/define-game.ts";
import { gameNamed } from "../../../src/games/index.ts";
import type { ArenaState, ArenaView } from "../../../src/games/arena.ts";
import type { RoomView } from "../../../src/engine/updates/views.ts";
import { TestRoom } from "../../kit/room.ts";
import { isType, TestSocket } from "../../kit/socket.ts";

/** The registered game, edited in place as a deploy would edit its file; put back afterwards. */
async function underVersion2(run: () => Promise<void>): Promise<void> {
  const game = gameNamed("arena") as { -readonly [K in keyof Game]: Game[K] };
  const saved = { version: game.version, migrate: game.migrate };
  game.version = saved.version + 1;
  game.migrate = (state) => ({ ...(state as ArenaState), scores: { red: 777, blue: 777 } });
  try {
    await run();
  } finally {
    Object.assign(game, saved);
  }
}

describe("a room restored under a new game version with migrate", () => {
  it("brings a client that resumes from the version it held before the restart to the migrated state", async () => {
    const room = await TestRoom.create("arena");
    const [ann] = [await room.join("ann"), await room.join("bob")];
    // Ann moves in the last step before the deploy, so the update she holds is at the record's own version.
    ann.socket.act("input", { dx: 1, dy: 0 });
    await ann.socket.flush();
    await room.tick(1);
    await ann.socket.flush();
    const held = { view: structuredClone(ann.socket.view) as RoomView<ArenaView>, version: ann.socket.client.version };
    const token = ann.socket.welcome?.reconnectToken ?? "";
    expect(held.view.game?.scores).toEqual({ red: 0, blue: 0 });

    // A deploy kills the process: no close event reaches the room, so its stored record still has both players
    // `connected` at the version the clients hold. (An eviction here would deliver the closes; the stored record
    // is put back as the process left it.)
    const stored = JSON.stringify(await room.record());
    expect(held.version, "ann holds the record's latest version").toBe(JSON.parse(stored).version);
    await room.evict({ webSockets: "close" });
    await runInDurableObject(room.stub, (_instance, state) => void state.storage.sql.exec("UPDATE records SET record = ? WHERE id = 1", stored));

    await underVersion2(async () => {
      // The new code loads the room: the record is migrated, the lost players marked away.
      await room.evict();
      const { socket } = await TestSocket.attempt(room.reconnectUrl(token, held.version));
      if (!socket) throw new Error("reconnect refused");
      await socket.next((m) => m.type === "patch" || m.type === "snapshot");
      await room.settle();
      expect((await room.view("team:red")) as { game: ArenaView }).toMatchObject({ game: { scores: { red: 777, blue: 777 } } });
      // What the client holds: its view from before the restart, with every update the room sent since applied.
      let view: unknown = held.view;
      for (const message of socket.messages) {
        if (isType("snapshot")(message)) view = message.view;
        else if (isType("patch")(message)) view = applyOps(view, message.ops);
      }
      expect((view as RoomView<ArenaView>).game?.scores, "the resumed client's scores").toEqual({ red: 777, blue: 777 });
    });
  });
});
