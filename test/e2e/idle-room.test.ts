// A turn-based room waiting for a move costs one alarm: its deadline. Measured over 60 s on wrangler dev.
import { afterAll, describe, expect, it } from "vitest";
import { RoomClient } from "../../client/sdk/room-client.ts";
import { PING } from "../../src/protocol/messages.ts";
import type { battleship, BattleshipView } from "../../src/games/battleship.ts";
import { createRoom, join, sleep, TempServer } from "./dev-server.ts";

describe("a battleship room waiting 60 s for a move with a 45 s turn timer", () => {
  let server: TempServer | undefined;

  afterAll(async () => {
    await server?.close();
  });

  it("runs exactly one alarm, the deadline, which also does the idle sweep for the clients' heartbeats", async () => {
    server = await TempServer.start();
    const roomId = await createRoom(server.url, "battleship", "patient");
    const clients: RoomClient<typeof battleship>[] = [];
    for (const name of ["rosa", "bert"]) clients.push(new RoomClient((await join(server.url, roomId, name)).wsUrl));
    for (const client of clients) {
      for (let i = 0; i < 100 && !client.welcome; i++) await sleep(50);
      client.send("shuffle", {});
      client.send("ready", {});
    }
    const view = () => clients[0]?.view?.game as BattleshipView | undefined;
    for (let i = 0; i < 100 && view()?.phase !== "firing"; i++) await sleep(50);
    expect(view()?.turnEndsAt).toBeGreaterThan(Date.now() + 40_000);
    // Connected clients heartbeat, as the SDK's session does; the runtime answers without waking the room,
    // and the deadline's alarm sweeps for idle sockets, so no sweep of its own falls inside the minute.
    const heartbeat = setInterval(() => {
      for (const client of clients) client.socket?.send(PING);
    }, 5_000);
    const alarms = () => (server as TempServer).current.log().split("\n").filter((line) => line.includes(`room ${roomId}: alarm fired`));
    const before = alarms().length;
    await sleep(60_000);
    clearInterval(heartbeat);
    expect(alarms().slice(before)).toEqual([expect.stringContaining("alarm fired (deadline)")]);
    expect(view()?.lastShot).toMatchObject({ by: "red", auto: true });
    for (const client of clients) expect(client.socket?.readyState).toBe(WebSocket.OPEN);
    for (const client of clients) client.close();
  }, 120_000);
});
