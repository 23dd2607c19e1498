// The SDK's reconnecting socket on fake timers: backoff, reconnect and leave at awkward moments, never two sockets; bounded state.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GameSession } from "../../client/sdk/game-session.ts";
import { RoomClient } from "../../client/sdk/room-client.ts";
import { type Connect, type ConnectionStatus, ReconnectingSocket } from "../../client/sdk/socket.ts";
import { closes } from "../../src/protocol/close-codes.ts";
import { SEQ_WINDOW } from "../../src/protocol/limits.ts";
import type { games } from "../../src/games/index.ts";
import { createRandom } from "../../src/engine/random.ts";

/**
 * Stands in for a browser WebSocket: close() fires the close event at once, as a dead path would
 * (real sockets are tested end to end in test/e2e/restarts/reconnect-storm.test.ts).
 */
class FakeSocket extends EventTarget {
  readyState = 1;
  readonly sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  listeners = 0;

  override addEventListener(...args: Parameters<EventTarget["addEventListener"]>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget["removeEventListener"]>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }

  send(text: string): void {
    if (this.readyState !== 1) throw new Error("send on a closed socket");
    this.sent.push(text);
  }

  close(code = 1005, reason = ""): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedWith = { code, reason };
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason }));
  }

  /** What the server does: a message to the client. */
  receive(message: unknown): void {
    this.dispatchEvent(Object.assign(new Event("message"), { data: JSON.stringify(message) }));
  }
}

/** A Connect whose attempts the test settles by hand, in any order. */
function network() {
  const attempts: { url: string; open: () => FakeSocket; fail: (why?: string) => void; settled: boolean }[] = [];
  const sockets: FakeSocket[] = [];
  const connect: Connect = (url) =>
    new Promise<WebSocket>((resolve, reject) => {
      const attempt = {
        url,
        settled: false,
        open: () => {
          const ws = new FakeSocket();
          sockets.push(ws);
          attempt.settled = true;
          resolve(ws as unknown as WebSocket);
          return ws;
        },
        fail: (why = "refused") => {
          attempt.settled = true;
          reject(new Error(why));
        },
      };
      attempts.push(attempt);
    });
  return {
    connect,
    attempts,
    sockets,
    /** Sockets open right now. */
    open: () => sockets.filter((ws) => ws.readyState === 1).length,
    /** The attempt still waiting to be settled, if any. */
    pending: () => attempts.filter((a) => !a.settled),
  };
}

const policy = { minDelayMs: 100, maxDelayMs: 1_000, factor: 2, minUptimeMs: 5_000, maxAttempts: 1_000, connectTimeoutMs: 2_000 };

function reconnecting(net: ReturnType<typeof network>) {
  const statuses: ConnectionStatus[] = [];
  const opened: WebSocket[] = [];
  const socket = new ReconnectingSocket(() => "ws://room.test/ws", { open: (ws) => opened.push(ws), status: (s) => statuses.push(s) }, policy, net.connect, () => 0.5);
  return { socket, statuses, opened };
}

/** Let promise callbacks run (fake timers leave microtasks alone): an attempt takes a few hops to reach `connect`. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("ReconnectingSocket", () => {
  it("connects once, comes back after a drop with one attempt per backoff", async () => {
    const net = network();
    const { socket, statuses } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    expect(socket.status).toBe("open");
    net.sockets[0]?.close(closes.abnormal.code, "network");
    expect(socket.status).toBe("reconnecting");
    expect(socket.socket).toBeUndefined();
    // The first retry waits 75 ms (half of 100 fixed, a quarter by this random); only then does it connect.
    await vi.advanceTimersByTimeAsync(70);
    expect(net.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(net.attempts).toHaveLength(2);
    net.attempts[1]?.open();
    await settle();
    expect(statuses).toEqual(["open", "reconnecting", "open"]);
    expect(net.open()).toBe(1);
  });

  it("reconnect() during the backoff connects at once and cancels the pending retry: one attempt, not two", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    net.sockets[0]?.close(closes.abnormal.code, "network");
    // The retry is waiting out its backoff (about 75 ms with this random): ask for a fresh connection now.
    socket.drop("reconnect requested");
    await settle();
    expect(net.attempts).toHaveLength(2);
    net.attempts[1]?.open();
    await settle();
    // The cancelled retry never fires.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.attempts).toHaveLength(2);
    expect(net.open()).toBe(1);
    expect(socket.status).toBe("open");
  });

  it("reconnect() while an attempt is under way starts nothing more", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    for (let i = 0; i < 5; i++) socket.drop("reconnect requested");
    await vi.advanceTimersByTimeAsync(500);
    expect(net.attempts).toHaveLength(1);
    net.attempts[0]?.open();
    await settle();
    expect(net.open()).toBe(1);
  });

  it("reconnect() on an open socket closes it (4000) and opens one fresh socket", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    socket.drop("reconnect requested");
    expect(net.sockets[0]?.closedWith).toEqual({ code: closes.dropped.code, reason: "reconnect requested" });
    await settle();
    net.attempts[1]?.open();
    await settle();
    expect(net.open()).toBe(1);
    expect(socket.socket).toBe(net.sockets[1]);
  });

  it("close() during a connect closes the socket that opens afterwards, and nothing retries", async () => {
    const net = network();
    const { socket, opened } = reconnecting(net);
    await settle();
    socket.close();
    expect(socket.status).toBe("closed");
    const late = net.attempts[0]?.open();
    await settle();
    expect(late?.readyState).toBe(3);
    expect(opened).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
    expect(net.open()).toBe(0);
  });

  it("close() during the backoff cancels the retry", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.fail();
    await settle();
    expect(socket.status).toBe("reconnecting");
    socket.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
    expect(socket.status).toBe("closed");
  });

  it("fails an attempt that does not settle within connectTimeoutMs, and closes its socket if it opens later", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    await vi.advanceTimersByTimeAsync(policy.connectTimeoutMs);
    expect(socket.status).toBe("reconnecting");
    expect(socket.lastClose).toEqual({ code: closes.abnormal.code, reason: "connect timed out" });
    const late = net.attempts[0]?.open();
    await settle();
    expect(late?.readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(policy.maxDelayMs);
    net.pending()[0]?.open();
    await settle();
    expect(net.open()).toBe(1);
  });

  it("stops for good on a close code the protocol table marks final", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    net.sockets[0]?.close(closes.replaced.code, "replaced");
    expect(socket.status).toBe("closed");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
  });

  it("never has two sockets open, whatever happens in whatever order (2,000 random events)", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    const random = createRandom(7);
    let most = 0;
    for (let step = 0; step < 2_000; step++) {
      const roll = random.int(6);
      const pending = net.pending();
      if (roll === 0) socket.drop("reconnect requested");
      else if (roll === 1) pending[0]?.open();
      else if (roll === 2) pending[0]?.fail();
      else if (roll === 3) net.sockets.filter((ws) => ws.readyState === 1).forEach((ws) => ws.close(closes.abnormal.code, "network"));
      else await vi.advanceTimersByTimeAsync(random.int(3_000));
      await settle();
      most = Math.max(most, net.open());
    }
    expect(most).toBe(1);
    socket.close();
    await settle();
    net.pending()[0]?.open();
    await settle();
    expect(net.open()).toBe(0);
  });
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

describe("RoomClient's outbox", () => {
  it("holds at most SEQ_WINDOW unacknowledged actions: more are refused locally with rate_limited, and none is lost", async () => {
    const errors: string[] = [];
    const client = new RoomClient<typeof games.arena>(undefined, { onError: (error) => errors.push(`${error.code}: ${error.detail ?? ""}`) });
    // Offline: nothing is welcomed, so everything waits in the outbox.
    const seqs = Array.from({ length: SEQ_WINDOW + 10 }, () => client.send("input", { dx: 1, dy: 0 }));
    expect(client.pending).toBe(SEQ_WINDOW);
    expect(seqs.filter((seq) => seq === 0)).toHaveLength(10);
    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatch(/^rate_limited: outbox full/);
    // Once a socket is welcomed and the room acknowledges, there is room again.
    const ws = new FakeSocket();
    client.attach(ws as unknown as WebSocket);
    ws.receive({ type: "welcome", protocol: 1, roomId: "r", game: "arena", role: "player", playerId: "p1", team: "red", tickHz: 20, lastSeq: 0 });
    expect(ws.sent.filter((text) => text.includes('"type":"action"'))).toHaveLength(SEQ_WINDOW);
    ws.receive({ type: "ack", seq: 1 });
    expect(client.send("input", { dx: 0, dy: 0 })).toBe(SEQ_WINDOW + 1);
  });
});
