// Spectators get their own view, which holds nothing any team keeps secret, and cannot act.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../../src/engine/random.ts";
import type { RoomView } from "../../../src/engine/updates/views.ts";
import type { ArenaView } from "../../../src/games/arena.ts";
import { TestRoom } from "../../kit/room.ts";
import { isType } from "../../kit/socket.ts";

describe("a spectator", () => {
  it("sees over a long random arena game only what every team sees: no fogged player, no team ping", async () => {
    const room = await TestRoom.create("arena", { seed: 3 });
    const players = [await room.join("ann"), await room.join("bob"), await room.join("cat"), await room.join("dan")];
    const watcher = await room.join("eve", "spectate");
    expect(watcher.socket.welcome).toMatchObject({ role: "spectator", team: "" });
    expect(watcher.socket.welcome?.reconnectToken).toBeUndefined();
    const random = createRandom(11);
    let hidden = 0;
    for (let t = 0; t < 300; t++) {
      for (const p of players) {
        if (random.next() < 0.1) p.socket.act("input", { dx: random.between(-1, 1), dy: random.between(-1, 1) });
        if (random.next() < 0.05) p.socket.act("ping", { x: random.between(0, 1000), y: random.between(0, 1000) });
      }
      for (const p of players) await p.socket.flush();
      await room.tick();
      await watcher.socket.flush();
      const seen = watcher.socket.game as ArenaView;
      const red = (await room.view("team:red")) as RoomView<ArenaView>;
      const blue = (await room.view("team:blue")) as RoomView<ArenaView>;
      expect(seen.ping).toBeNull();
      const ids = (view: ArenaView | null | undefined) => new Set(view?.players.map((p) => p.id));
      for (const id of ids(seen)) expect(ids(red.game).has(id) && ids(blue.game).has(id)).toBe(true);
      hidden += players.length - seen.players.length;
    }
    expect(hidden).toBeGreaterThan(0);
    const text = JSON.stringify(watcher.socket.messages);
    expect(text).not.toContain('"by"');
    expect(text).not.toContain("inputs");
    expect(watcher.socket.mismatches).toBe(0);
  });

  it("gets a typed error when it tries to act, and changes nothing", async () => {
    const room = await TestRoom.create("arena");
    await room.join("ann");
    const watcher = await room.join("eve", "spectate");
    const before = await room.record();
    watcher.socket.act("input", { dx: 1, dy: 0 });
    expect((await watcher.socket.next(isType("error"))).code).toBe("not_a_player");
    expect(await room.record()).toEqual(before);
    expect(Object.keys(before.players)).not.toContain(watcher.playerId);
  });
});
