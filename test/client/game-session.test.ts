// joinGame against a real room in workerd: typed play, reconnect with the outbox resent, takeover, spectators, latency.
import { describe, expect, it } from "vitest";
import type { GameSession } from "../../client/sdk/game-session.ts";
import { joinGame } from "../../client/sdk/join-game.ts";
import { type Connect, type ConnectionStatus } from "../../client/sdk/socket.ts";
import { closes } from "../../src/protocol/close-codes.ts";
import { teamTag } from "../../src/engine/updates/views.ts";
import { TestRoom } from "../kit/room.ts";
import { connectInWorkerd } from "../kit/socket.ts";

/** Poll until `check` holds; bounded, and names what it waited for when it gives up. */
async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const fast = { minDelayMs: 20, maxDelayMs: 200 };

async function ticTacToe() {
  const room = await TestRoom.create("tic-tac-toe");
  const join = (name: string) => joinGame("tic-tac-toe", { via: "room", roomId: room.id, name, server: room.server, connect: connectInWorkerd, policy: fast });
  const x = await join("xena");
  const o = await join("otto");
  return { room, x, o };
}

const board = (session: GameSession<"tic-tac-toe">) => session.view?.game?.board;

describe("joinGame in workerd", () => {
  it("plays typed actions and both players see them, acknowledged", async () => {
    const { room, x, o } = await ticTacToe();
    expect([x.team, o.team]).toEqual(["x", "o"]);
    x.send("place", { cell: 4 });
    await until(() => board(o)?.[4] === "x" && x.client.pending === 0, "x's move at o");
    o.send("place", { cell: 0 });
    await until(() => board(x)?.[0] === "o", "o's move at x");
    expect(x.view).toEqual(await room.view(teamTag("x")));
    expect(o.view).toEqual(await room.view(teamTag("o")));
    x.leave();
    o.leave();
  });

  it("comes back after a dropped connection to the same seat, resends what was unacknowledged with the same seq, and applies it once", async () => {
    const { room, x, o } = await ticTacToe();
    const statuses: ConnectionStatus[] = [x.status];
    x.subscribe(() => statuses.at(-1) !== x.status && statuses.push(x.status));
    const before = x.playerId;
    x.send("place", { cell: 4 });
    await until(() => board(o)?.[4] === "x", "first move");
    o.send("place", { cell: 0 });
    await until(() => board(x)?.[0] === "o", "o's move");

    // The room restarts and takes the sockets with it; the move made meanwhile waits in the outbox.
    await room.evict({ webSockets: "close" });
    await until(() => x.status === "reconnecting", "x to notice");
    const seq = x.send("place", { cell: 8 });
    expect(x.client.pending).toBe(1);
    await until(() => x.status === "open" && x.client.pending === 0 && board(o)?.[8] === "x", "reconnect and resend");
    expect(statuses).toEqual(["open", "reconnecting", "open"]);
    expect(x.playerId).toBe(before);
    expect(x.client.lastAcked).toBe(seq);
    const record = await room.record();
    expect(record.seqs[before ?? ""]).toBe(seq);
    expect(record.state).toMatchObject({ board: ["o", "", "", "", "x", "", "", "", "x"] });
    // Resumed from the version it held: the missed updates came as patches, not a resync.
    expect(x.client.gaps).toBe(0);
    expect(x.view).toEqual(await room.view(teamTag("x")));
    x.leave();
    o.leave();
  });

  it("stops for good when another connection takes the seat (4001), and the new one has it", async () => {
    const { room, x, o } = await ticTacToe();
    const token = x.resumeToken;
    expect(token).toMatchObject({ game: "tic-tac-toe", roomId: room.id });
    // What a reloaded page does with the token it saved.
    const again = await joinGame("tic-tac-toe", { via: "resume", roomId: room.id, token: token?.token ?? "", server: room.server, connect: connectInWorkerd, policy: fast });
    await until(() => x.status === "closed", "the old session to close");
    expect(x.closed?.code).toBe(4001);
    expect(again.playerId).toBe(x.playerId);
    again.send("place", { cell: 2 });
    await until(() => board(o)?.[2] === "x", "the new session's move");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(x.status).toBe("closed");
    again.leave();
    o.leave();
  });

  it("brings a spectator back with a fresh ticket, and measures the round trip", async () => {
    const { room, x, o } = await ticTacToe();
    const watcher = await joinGame("tic-tac-toe", { via: "spectate", roomId: room.id, name: "eve", server: room.server, connect: connectInWorkerd, policy: fast, pingEveryMs: 50 });
    expect(watcher.role).toBe("spectator");
    await until(() => watcher.latencyMs !== undefined, "a heartbeat round trip");
    expect(watcher.latencyMs).toBeGreaterThanOrEqual(0);
    const first = watcher.playerId;
    watcher.reconnect();
    await until(() => watcher.status === "open" && watcher.playerId !== first, "a new spectator connection");
    x.send("place", { cell: 4 });
    await until(() => board(watcher)?.[4] === "x", "the spectator to see the move");
    for (const session of [watcher, x, o]) session.leave();
  });

  it("creates a private room with a code, and a friend joins by the code without knowing the game", async () => {
    const room = await TestRoom.create("arena");
    const options = { server: room.server, connect: connectInWorkerd, policy: fast };
    const host = await joinGame("tic-tac-toe", { via: "create", private: true, name: "hana", ...options });
    expect(host.code).toMatch(/^[A-Z0-9]{4,}$/);
    const friend = await joinGame(undefined, { via: "code", code: (host.code ?? "").toLowerCase(), name: "fred", ...options });
    expect(friend.game).toBe("tic-tac-toe");
    expect(friend.roomId).toBe(host.roomId);
    if (friend.game !== "tic-tac-toe") throw new Error("narrowing");
    host.send("place", { cell: 0 });
    await until(() => board(friend)?.[0] === "x", "the host's move at the friend");
    host.leave();
    friend.leave();
  });

  it("gives up quickly on a refused resume token instead of retrying for a minute", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const started = Date.now();
    await expect(joinGame("tic-tac-toe", { via: "resume", roomId: room.id, token: "abcdefghijkmnpqrstuvwxyz", server: room.server, connect: connectInWorkerd })).rejects.toThrow(/could not connect/);
    // Three attempts at 125-250, 250-500 and 500-1000 ms of backoff.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives up at once when the seat is gone after the grace period, instead of retrying a dead token", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    let networkUp = true;
    const flaky: Connect = (url, timeoutMs) => (networkUp ? connectInWorkerd(url, timeoutMs) : Promise.reject(new Error("network down")));
    const options = { server: room.server, connect: flaky, policy: { ...fast, maxAttempts: 1_000 } };
    const x = await joinGame("tic-tac-toe", { via: "room", roomId: room.id, name: "xena", ...options });
    await joinGame("tic-tac-toe", { via: "room", roomId: room.id, name: "otto", ...options });
    networkUp = false;
    await room.evict({ webSockets: "close" });
    await until(() => x.status === "reconnecting" && x.reconnectAttempts > 2, "x to retry while the network is down");
    // The grace period runs out on the room's clock: x's seat is let go.
    const seat = (await room.record()).players[x.playerId ?? ""];
    await room.skipTo(seat?.awayUntil ?? 0);
    expect((await room.record()).players[x.playerId ?? ""]).toBeUndefined();
    networkUp = true;
    await until(() => x.status === "closed", "x to give up");
    expect(x.closed).toMatchObject({ code: closes.seatGone.code });
  });

  it("refuses a room of another game", async () => {
    const room = await TestRoom.create("arena");
    await expect(joinGame("tic-tac-toe", { via: "room", roomId: room.id, name: "ann", server: room.server, connect: connectInWorkerd })).rejects.toThrow(/plays arena/);
  });
});
