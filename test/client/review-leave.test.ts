// Review finding: docs/sdk.md says leave() frees the seat at once; during a reconnect backoff it does not.
import { describe, expect, it } from "vitest";
import { joinGame } from "../../client/sdk/game-session.ts";
import { TestRoom } from "../kit/room.ts";
import { connectInWorkerd } from "../kit/socket.ts";

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("leave() while the session is reconnecting", () => {
  it("frees the seat at once, as it does on an open connection", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    // A long backoff, so the leave lands while the session waits to retry.
    const join = (name: string) => joinGame("tic-tac-toe", { via: "room", roomId: room.id, name, server: room.server, connect: connectInWorkerd, policy: { minDelayMs: 3_000, maxDelayMs: 3_000 } });
    const x = await join("xena");
    const o = await join("otto");
    await room.evict({ webSockets: "close" });
    await until(() => x.status === "reconnecting", "x to notice the drop");
    x.leave();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await room.settle();
    expect((await room.record()).players).not.toHaveProperty(x.playerId as string);
    o.leave();
  });
});
