// GameSession on fake timers: heartbeats, leave() during a reconnect, and what a long session retains, all bounded.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GameSession } from "../../client/sdk/game-session.ts";
import { closes } from "../../src/protocol/close-codes.ts";
import { type FakeSocket, network, policy, settle } from "./fake-network.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("GameSession", () => {
  const welcome = { type: "welcome", protocol: 1, roomId: "r", game: "arena", role: "player", playerId: "p1", team: "red", tickHz: 20, lastSeq: 0, reconnectToken: "t" };
  const start = () => {
    const net = network();
    const session = new GameSession("arena", { url: "ws://room.test/first" }, async () => "ws://room.test/again", { connect: net.connect, pingEveryMs: 1_000, policy });
    /** The attempt opens, the socket is handed over, and the room says welcome. */
    const admit = async (attempt = net.attempts.at(-1)): Promise<FakeSocket> => {
      const ws = attempt?.open();
      if (!ws) throw new Error("no attempt to admit");
      await settle();
      ws.receive(welcome);
      return ws;
    };
    return { net, session, admit };
  };

  it("drops a connection whose heartbeat goes unanswered for 10 s and opens one new socket", async () => {
    const { net, session, admit } = start();
    await settle();
    await admit();
    // The first heartbeat goes out as the socket opens.
    expect(net.sockets[0]?.sent).toContain('{"type":"ping"}');
    // Nothing comes back: the first heartbeat check more than 10 s after it sees it too old.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.sockets[0]?.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.sockets[0]?.closedWith).toEqual({ code: closes.dropped.code, reason: "heartbeat timeout" });
    expect(session.status).toBe("reconnecting");
    expect(net.attempts.map((a) => a.url)).toEqual(["ws://room.test/first", "ws://room.test/again"]);
    net.attempts[1]?.open();
    await settle();
    expect(session.status).toBe("open");
    expect(net.open()).toBe(1);
    session.leave();
  });

  it("a pong in time keeps the connection", async () => {
    const { net, session, admit } = start();
    await settle();
    const ws = await admit();
    for (let i = 0; i < 30; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      if (ws.sent.at(-1) === '{"type":"ping"}') ws.receive({ type: "pong" });
    }
    expect(net.attempts).toHaveLength(1);
    expect(session.latencyMs).toBeLessThan(1_000);
    session.leave();
  });

  it("leave() during a reconnect's backoff ends it: no new attempt, status closed, no timers left", async () => {
    const { net, session, admit } = start();
    await settle();
    await admit();
    net.sockets[0]?.close(closes.abnormal.code, "network");
    expect(session.status).toBe("reconnecting");
    session.leave();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
    expect(session.status).toBe("closed");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leave() while a reconnect attempt is opening closes that socket when it opens", async () => {
    const { net, session, admit } = start();
    await settle();
    await admit();
    session.reconnect();
    await settle();
    expect(net.pending()).toHaveLength(1);
    session.leave();
    net.pending()[0]?.open();
    await settle();
    expect(net.open()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps what it retains bounded over a 100,000-update session: timers, listeners, outbox, view", async () => {
    const { session, admit } = start();
    await settle();
    const ws = await admit();
    const players = (tick: number) => ({ p1: { id: "p1", team: "red", x: tick % 1000, y: 0, score: 0, lastInput: tick } });
    ws.receive({ type: "snapshot", version: 0, view: { roster: {}, game: { world: 1000, fogRadius: null, players: players(0), orbs: {}, scores: {}, ping: null, obstacles: {} } } });
    let most = { timers: 0, pending: 0, listeners: 0 };
    let acked = 0;
    const viewBytes = JSON.stringify(session.view).length;
    for (let version = 1; version <= 100_000; version++) {
      ws.receive({ type: "patch", from: version - 1, to: version, ops: [{ op: "replace", path: "/game/players/p1", value: players(version).p1 }] });
      // An input every other update, acknowledged a few updates later, as a 20 Hz game would see them.
      if (version % 2 === 0) session.send("input", { dx: 1, dy: 0 });
      // Acknowledged a few updates later, each seq on its own, as the room does.
      if (version % 10 === 0) while (acked < session.client.lastSeq - 2) ws.receive({ type: "ack", seq: ++acked });
      // Time passes in 5 s steps (heartbeats every second, answered at the end of each step).
      if (version % 100 === 0) {
        await vi.advanceTimersByTimeAsync(5_000);
        ws.receive({ type: "pong" });
      }
      most = { timers: Math.max(most.timers, vi.getTimerCount()), pending: Math.max(most.pending, session.client.pending), listeners: Math.max(most.listeners, ws.listeners) };
    }
    expect(session.client.version).toBe(100_000);
    expect(session.client.gaps).toBe(0);
    // The heartbeat, the receipt timer, the reconnect policy's nothing: a fixed handful, never one per update.
    expect(most.timers).toBeLessThanOrEqual(3);
    // Acks trail by a few actions, so the outbox never holds more than the unacknowledged tail.
    expect(most.pending).toBeLessThanOrEqual(7);
    expect(most.listeners).toBeLessThanOrEqual(2);
    // The view is the last update's, and only as long as its numbers grew (x and lastInput gained digits).
    expect(session.view?.game?.players).toEqual(players(100_000));
    expect(JSON.stringify(session.view).length).toBeLessThanOrEqual(viewBytes + 8);
    // Receipts went out at most once a second, and only when something new was read: one per 5 s step here.
    const receipts = ws.sent.filter((text) => text.startsWith('{"type":"seen"'));
    expect(receipts).toHaveLength(1_000);
    expect(receipts.at(-1)).toBe('{"type":"seen","version":100000}');
    session.leave();
    expect(vi.getTimerCount()).toBe(0);
  });
});
