// The public room info (no ticket needed) must not depend on what the views hide.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { audienceOf } from "../../../src/engine/updates/views.ts";
import { TestRoom } from "../../kit/room.ts";
import { isType } from "../../kit/socket.ts";

describe("GET /api/rooms/:id during a battleship match", () => {
  it("says nothing about how the other fleet lies", async () => {
    const room = await TestRoom.create("battleship", { preset: "quick" });
    const red = await room.join("rosa");
    const blue = await room.join("bert");
    expect([red.team, blue.team].sort()).toEqual(["blue", "red"]);
    // Two fleets that differ only in the orientation of one ship, which only their own team can see.
    const flat = [{ x: 0, y: 0, vertical: false }, { x: 0, y: 2, vertical: false }, { x: 0, y: 4, vertical: false }];
    const upright = [{ x: 0, y: 0, vertical: false }, { x: 0, y: 2, vertical: false }, { x: 4, y: 4, vertical: true }];
    const redView = audienceOf(room.game, { id: red.playerId, name: "rosa", team: red.team });
    const after = async (ships: unknown): Promise<{ view: unknown; recordBytes: number }> => {
      const seq = blue.socket.act("place", { ships });
      await blue.socket.next((m) => isType("ack")(m) && m.seq === seq);
      const response = await exports.default.fetch(`http://room.test/api/rooms/${room.id}`);
      return { view: await room.view(redView), recordBytes: ((await response.json()) as { stats: { recordBytes: number } }).stats.recordBytes };
    };
    const [a, b] = [await after(flat), await after(upright)];
    // Red cannot tell the two fleets apart; nor may anyone who reads the public info.
    expect(b.view).toEqual(a.view);
    expect(b.recordBytes).toBe(a.recordBytes);
  });
});
