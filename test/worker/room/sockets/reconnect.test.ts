// Dropped players keep their seat for the grace period, come back with a rotating token, and resume exactly.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type LogEntry } from "../../../../src/engine/match.ts";
import { teamTag } from "../../../../src/engine/updates/views.ts";
import { ticTacToe } from "../../../../src/games/tic-tac-toe.ts";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom } from "../../../kit/room.ts";
import { isType, TestSocket } from "../../../kit/socket.ts";

const token = (socket: TestSocket) => socket.welcome?.reconnectToken ?? "";

describe("a dropped player", () => {
  it("shows as away, and reconnecting inside the grace period restores the same seat with exactly the missed patches", async () => {
    const room = await TestRoom.create("arena");
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    ann.socket.act("input", { dx: 1, dy: 1 });
    await ann.socket.flush();
    await room.tick(2);
    await ann.socket.flush();
    const held = ann.socket.client.version;
    const view = ann.socket.view;
    ann.socket.client.close();
    await room.settle();
    expect((await room.record()).players[ann.playerId]).toMatchObject({ presence: "away" });
    await room.tick(5);

    const back = await TestSocket.attempt(room.reconnectUrl(token(ann.socket), held));
    const socket = back.socket as TestSocket;
    const welcome = await socket.next(isType("welcome"));
    expect(welcome).toMatchObject({ playerId: ann.playerId, team: ann.team, role: "player" });
    expect(welcome.reconnectToken).not.toBe(token(ann.socket));
    // Exactly the missed updates: one for the presence change, five ticks, one for coming back; no snapshot.
    await socket.flush();
    // The chat history follows the missed updates (docs/chat.md); it is not part of the view.
    const resumed = socket.messages.slice(1, socket.messages.length - 1).filter((m) => m.type !== "chat-history");
    expect(resumed.every((m) => m.type === "patch")).toBe(true);
    expect(resumed[0]).toMatchObject({ from: held });
    expect(socket.client.view).toEqual(await room.view(teamTag(ann.team)));
    expect(view).not.toEqual(socket.client.view);
    expect((await room.record()).players[ann.playerId]).toMatchObject({ presence: "connected" });
    await bob.socket.flush();
    expect(bob.socket.client.view?.roster[ann.playerId]?.presence).toBe("connected");
  });

  it("gets a snapshot when the version it holds is no longer in the resume buffer", async () => {
    const room = await TestRoom.create("arena");
    const [ann] = [await room.join("ann"), await room.join("bob")];
    // A slow drift changes the red view on every tick, so every tick is an update.
    ann.socket.act("input", { dx: 0.1, dy: 0 });
    await ann.socket.flush();
    const held = ann.socket.client.version;
    ann.socket.client.close();
    await room.settle();
    await room.tick(settings.resumeUpdates + 5);
    const socket = await TestSocket.open(room.reconnectUrl(token(ann.socket), held));
    expect(socket.messages.map((m) => m.type).filter((type) => type !== "chat-history")).toEqual(["welcome", "snapshot"]);
  });

  it("loses the seat after the grace period, and a stale or used token is refused", async () => {
    const room = await TestRoom.create("arena", { preset: "squad" });
    const ann = await room.join("ann");
    await room.join("bob");
    const first = token(ann.socket);
    const again = await TestSocket.open(room.reconnectUrl(first));
    // The token it connected with is spent once the new connection speaks (so it surely got its welcome).
    await again.flush();
    expect(await TestSocket.attempt(room.reconnectUrl(first))).toMatchObject({ status: 401, error: { code: "reconnect_refused" } });
    again.client.close();
    await room.settle();
    await room.skip(settings.reconnectGraceSeconds * 20 + 1);
    expect((await room.record()).players[ann.playerId]).toBeUndefined();
    expect(await TestSocket.attempt(room.reconnectUrl(token(again)))).toMatchObject({ status: 401, error: { code: "reconnect_refused" } });
    // Ann's seat is free again: besides bob, the four-seat room takes three new players, and no fourth.
    for (const name of ["cat", "dan", "eve"]) await room.join(name);
    await expect(room.ticket("fay")).rejects.toThrow(/room_full/);
  });

  it("keeps the seat for a connection that dropped before its welcome arrived", async () => {
    const room = await TestRoom.create("arena", { preset: "squad" });
    const ann = await room.join("ann");
    const first = token(ann.socket);
    // A reconnect whose welcome (with the new token) never reaches the client: it says nothing and is gone.
    const lost = await TestSocket.open(room.reconnectUrl(first));
    lost.client.close();
    await room.settle();
    // The client still holds only the token it connected with, and it still works, once more.
    const back = await TestSocket.open(room.reconnectUrl(first));
    expect(back.welcome?.playerId).toBe(ann.playerId);
    await back.flush();
    expect(await TestSocket.attempt(room.reconnectUrl(first))).toMatchObject({ status: 401, error: { code: "reconnect_refused" } });
    expect(await TestSocket.attempt(room.reconnectUrl(token(lost)))).toMatchObject({ status: 401, error: { code: "reconnect_refused" } });
  });

  it("is marked away when the room comes back from a restart that took its socket, and can reconnect", async () => {
    const room = await TestRoom.create("arena");
    const [ann] = [await room.join("ann"), await room.join("bob")];
    await room.evict({ webSockets: "close" });
    const record = await room.record();
    expect(Object.values(record.players).map((seat) => seat.presence)).toEqual(["away", "away"]);
    const back = await TestSocket.open(room.reconnectUrl(token(ann.socket)));
    expect(back.welcome?.playerId).toBe(ann.playerId);
    expect((await room.record()).players[ann.playerId]?.presence).toBe("connected");
  });

  it("is replaced by a second socket for the same player: never two sockets per player", async () => {
    const room = await TestRoom.create("arena");
    const ann = await room.join("ann");
    const second = await TestSocket.open(room.reconnectUrl(token(ann.socket)));
    expect((await ann.socket.closing()).code).toBe(4001);
    expect(second.closed).toBeUndefined();
    expect((await room.record()).players[ann.playerId]?.presence).toBe("connected");
  });
});

describe("actions sent twice and resent after a reconnect", () => {
  it("are each applied exactly once, ending in the same state as a reference run", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const x = await room.join("xavier");
    const o = await room.join("olga");
    const moves: [typeof x, number][] = [[x, 4], [o, 0], [x, 2], [o, 6], [x, 3], [o, 5], [x, 1], [o, 7], [x, 8]];
    const players = new Map([[x.playerId, x.socket], [o.playerId, o.socket]]);
    const seq: Record<string, number> = {};
    for (const [index, [player, cell]] of moves.entries()) {
      const socket = players.get(player.playerId) as TestSocket;
      const s = (seq[player.playerId] = (seq[player.playerId] ?? 0) + 1);
      socket.act("place", { cell }, s);
      socket.act("place", { cell }, s);
      if (index === 4) {
        // Drop without waiting for the ack, reconnect, and resend everything not yet acknowledged.
        socket.client.close();
        const back = await TestSocket.open(room.reconnectUrl(socket.welcome?.reconnectToken ?? ""));
        expect(back.welcome?.lastSeq).toBeGreaterThanOrEqual(s - 1);
        back.act("place", { cell }, s);
        players.set(player.playerId, back);
      }
      await (players.get(player.playerId) as TestSocket).flush();
    }
    const record = await room.record();
    const reference = moves.reduce(
      (rec, [player, cell], i) => advance(ticTacToe, rec, { tick: 0, entries: [{ kind: "act", player: player.playerId, seq: Math.floor(i / 2) + 1, action: "place", payload: { cell } }], ticks: 0, time: 0 }).record,
      advance(ticTacToe, createMatch(ticTacToe, { preset: "default", seed: 42, time: 0 }), {
        tick: 0,
        time: 0,
        entries: [x, o].map((p): LogEntry => ({ kind: "join", player: p.playerId, name: p === x ? "xavier" : "olga", team: p.team })),
        ticks: 0,
      }).record,
    );
    expect(record.state).toEqual(reference.state);
    expect(record.seqs).toEqual(reference.seqs);
    for (const socket of players.values()) {
      expect(socket.messages.filter((m) => m.type === "error")).toEqual([]);
    }
  });
});
