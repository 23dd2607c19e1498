// The SDK's moving parts on their own: patches, compressed frames and resyncs, the outbox, backoff and the close-code policy, interpolation.
import { describe, expect, it } from "vitest";
import { createInterpolator } from "../../client/sdk/netcode/interpolate.ts";
import { applyOps } from "../../client/sdk/patch.ts";
import { RoomClient } from "../../client/sdk/room-client.ts";
import { backoffDelay, defaultPolicy } from "../../client/sdk/socket.ts";
import { shouldReconnect } from "../../src/protocol/close-codes.ts";
import { SEQ_WINDOW } from "../../src/protocol/limits.ts";
import type { games } from "../../src/games/index.ts";
import { FakeSocket } from "./fake-network.ts";
import { deflateRawSync } from "node:zlib";
import { framesOf } from "../../src/worker/room/outbound/frames.ts";

/** A real socket pair: the client end goes to a RoomClient, the test plays the room on the other. */
function pair(): { client: WebSocket; room: WebSocket; received: unknown[] } {
  const { 0: client, 1: room } = new WebSocketPair();
  const received: unknown[] = [];
  room.addEventListener("message", (event) => {
    received.push(JSON.parse(String(event.data)));
  });
  room.accept();
  client.accept();
  return { client, room, received };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const welcome = (lastSeq = 0) => JSON.stringify({ type: "welcome", protocol: 1, roomId: "r", game: "tic-tac-toe", role: "player", playerId: "p1", team: "x", tickHz: 0, lastSeq });
const snapshot = (version: number, view: unknown) => JSON.stringify({ type: "snapshot", version, view });
const patch = (from: number, ops: unknown[]) => JSON.stringify({ type: "patch", from, to: from + 1, ops });

describe("applyOps", () => {
  it("applies a patch to a copy and leaves the held view alone", () => {
    const view = { game: { score: 1, list: [1] } };
    const next = applyOps(view, [
      { op: "replace", path: "/game/score", value: 2 },
      { op: "add", path: "/game/list/-", value: 2 },
    ]);
    expect(next).toEqual({ game: { score: 2, list: [1, 2] } });
    expect(view).toEqual({ game: { score: 1, list: [1] } });
  });

  it("copies only what the patch touches and shares the rest with the held view", () => {
    const view = { game: { players: { a: { x: 1 }, b: { x: 2 } }, walls: { w1: { x: 0 } } } };
    const next = applyOps(view, [
      { op: "replace", path: "/game/players/a/x", value: 5 },
      { op: "add", path: "/game/players/c", value: { x: 3 } },
    ]);
    expect(next?.game.walls).toBe(view.game.walls);
    expect(next?.game.players.b).toBe(view.game.players.b);
    expect(next?.game.players.a).toEqual({ x: 5 });
    expect(view).toEqual({ game: { players: { a: { x: 1 }, b: { x: 2 } }, walls: { w1: { x: 0 } } } });
  });

  it("refuses a patch that does not fit instead of half-applying it", () => {
    const view = { a: 1 };
    expect(applyOps(view, [{ op: "replace", path: "/a", value: 2 }, { op: "remove", path: "/missing" }])).toBeUndefined();
    expect(view).toEqual({ a: 1 });
  });
});

describe("RoomClient", () => {
  it("applies patches in order and resyncs on a version gap, then takes the snapshot", async () => {
    const { client, room, received } = pair();
    const rc = new RoomClient(client);
    room.send(welcome());
    room.send(snapshot(1, { roster: {}, game: { n: 1 } }));
    room.send(patch(1, [{ op: "replace", path: "/game/n", value: 2 }]));
    await settle();
    expect(rc.view).toEqual({ roster: {}, game: { n: 2 } });
    expect(rc.version).toBe(2);

    room.send(patch(5, [{ op: "replace", path: "/game/n", value: 9 }]));
    await settle();
    expect(rc.gaps).toBe(1);
    expect(received).toEqual([{ type: "resync" }]);
    expect(rc.version).toBe(-1);
    // Patches racing the resync are ignored; the snapshot replaces the view.
    room.send(patch(6, [{ op: "replace", path: "/game/n", value: 10 }]));
    room.send(snapshot(7, { roster: {}, game: { n: 7 } }));
    await settle();
    expect(rc.gaps).toBe(1);
    expect(rc.view).toEqual({ roster: {}, game: { n: 7 } });
    expect(rc.version).toBe(7);
  });

  it("reads compressed frames and text in the order they came, while a frame ahead of a text is still inflating", async () => {
    const { client, room, received } = pair();
    const rc = new RoomClient(client);
    const frame = (text: string, suffix = "") => framesOf(deflateRawSync(text), [suffix])[0] as Uint8Array;
    const seen: string[] = [];
    client.addEventListener("message", (event) => seen.push(typeof event.data === "string" ? "text" : "frame"));
    room.send(frame(welcome()));
    room.send(frame(snapshot(1, { roster: {}, game: { n: 1 } }), ',"ack":0'));
    // Text right behind a frame: handled only after the frame, or it would be a gap and a resync.
    room.send(patch(1, [{ op: "replace", path: "/game/n", value: 2 }]));
    room.send(frame(patch(2, [{ op: "replace", path: "/game/n", value: 3 }])));
    room.send(patch(3, [{ op: "replace", path: "/game/n", value: 4 }]));
    await settle();
    expect(seen).toEqual(["frame", "frame", "text", "frame", "text"]);
    expect(rc.welcome?.playerId).toBe("p1");
    expect(rc.gaps).toBe(0);
    expect(received).toEqual([]);
    expect(rc.view).toEqual({ roster: {}, game: { n: 4 } });
    expect(rc.version).toBe(4);
    // A frame that does not inflate is dropped like a lost patch: the next one is a gap, and the client resyncs.
    room.send(new Uint8Array([0, 0xff, 0xff, 0xff]));
    room.send(frame(patch(5, [{ op: "replace", path: "/game/n", value: 6 }])));
    await settle();
    expect(rc.gaps).toBe(1);
    expect(received).toEqual([{ type: "resync" }]);
  });

  it("discards a hostile patch, resyncs, and pollutes nothing", async () => {
    const { client, room, received } = pair();
    const rc = new RoomClient(client);
    room.send(welcome());
    room.send(snapshot(1, { roster: {}, game: { n: 1 } }));
    room.send(patch(1, [{ op: "add", path: "/game/__proto__/polluted", value: true }]));
    room.send(snapshot(3, { roster: {}, game: { n: 3 } }));
    await settle();
    expect(rc.gaps).toBe(1);
    expect(received).toEqual([{ type: "resync" }]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(rc.view).toEqual({ roster: {}, game: { n: 3 } });
  });

  it("keeps unacknowledged actions and resends them with the same seq on the next socket, skipping what the room already has", async () => {
    const first = pair();
    const rc = new RoomClient<unknown>(first.client);
    first.room.send(welcome());
    await settle();
    const send = (n: number) => (rc.send as (action: string, payload: unknown) => number)("move", { n });
    expect([send(1), send(2), send(3), send(4)]).toEqual([1, 2, 3, 4]);
    await settle();
    expect(first.received.map((m) => (m as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
    first.room.send(JSON.stringify({ type: "ack", seq: 1 }));
    await settle();
    expect(rc.pending).toBe(3);

    // The socket drops; an action sent meanwhile waits in the outbox instead of being lost.
    first.room.close(1011, "gone");
    await settle();
    expect(send(5)).toBe(5);
    const second = pair();
    rc.attach(second.client);
    await settle();
    expect(second.received).toEqual([]);
    // The room had processed seq 2 before the drop (its ack was lost): only 3, 4 and 5 go again, unchanged.
    second.room.send(welcome(2));
    await settle();
    expect(second.received).toEqual([3, 4, 5].map((seq) => ({ type: "action", seq, action: "move", payload: { n: seq } })));
    for (const seq of [3, 4, 5]) second.room.send(JSON.stringify({ type: "ack", seq }));
    await settle();
    expect(rc.pending).toBe(0);
    expect(send(6)).toBe(6);
  });

  it("clears the outbox from an update's ack, also from a patch it cannot apply, and resends only what is above it", async () => {
    const first = pair();
    // A listener of the view sees the ack of the same update: inputs up to it are in the view it reads.
    let changedAt: number | undefined;
    const rc: RoomClient<unknown> = new RoomClient<unknown>(first.client, { onChange: () => (changedAt = rc.lastAcked) });
    first.room.send(welcome());
    first.room.send(snapshot(1, { roster: {}, game: { n: 1 } }));
    await settle();
    const send = (n: number) => (rc.send as (action: string, payload: unknown) => number)("input", { n });
    for (let n = 1; n <= 5; n++) send(n);
    first.room.send(JSON.stringify({ type: "patch", from: 1, to: 2, ops: [{ op: "replace", path: "/game/n", value: 2 }], ack: 2 }));
    await settle();
    expect([rc.lastAcked, rc.pending]).toEqual([2, 3]);
    expect(changedAt).toBe(2);
    // An ack never goes back, and a patch that does not fit still acknowledges (the room stored what it says).
    first.room.send(JSON.stringify({ type: "patch", from: 9, to: 10, ops: [], ack: 4 }));
    first.room.send(JSON.stringify({ type: "snapshot", version: 11, view: { roster: {}, game: { n: 3 } }, ack: 3 }));
    await settle();
    expect([rc.lastAcked, rc.pending, rc.gaps]).toEqual([4, 1, 1]);

    // After a drop, the next socket resends only seq 5, with the seq it had.
    first.room.close(1011, "gone");
    await settle();
    const second = pair();
    rc.attach(second.client);
    second.room.send(welcome(4));
    await settle();
    expect(second.received).toEqual([{ type: "action", seq: 5, action: "input", payload: { n: 5 } }]);
    second.room.send(JSON.stringify({ type: "patch", from: 11, to: 12, ops: [], ack: 5 }));
    await settle();
    expect([rc.lastAcked, rc.lastApplied, rc.pending]).toEqual([5, 5, 0]);
  });

  it("reads what the view reflects from `applied`, but clears the outbox only up to the stored `ack`", async () => {
    const { client, room } = pair();
    const rc = new RoomClient<unknown>(client);
    room.send(welcome());
    room.send(snapshot(1, { roster: {}, game: { n: 1 } }));
    await settle();
    for (let n = 1; n <= 4; n++) (rc.send as (action: string, payload: unknown) => number)("input", { n });
    room.send(JSON.stringify({ type: "patch", from: 1, to: 2, ops: [], ack: 1, applied: 3 }));
    await settle();
    expect([rc.lastAcked, rc.lastApplied, rc.pending]).toEqual([1, 3, 3]);
    // The write lands: ack catches up, and without `applied` the view reflects exactly the ack.
    room.send(JSON.stringify({ type: "patch", from: 2, to: 3, ops: [], ack: 4 }));
    await settle();
    expect([rc.lastAcked, rc.lastApplied, rc.pending]).toEqual([4, 4, 0]);
  });
});

describe("reconnect policy", () => {
  it("backs off exponentially with jitter inside [step/2, step], capped", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const step = Math.min(defaultPolicy.maxDelayMs, defaultPolicy.minDelayMs * 2 ** attempt);
      expect(backoffDelay(attempt, defaultPolicy, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, defaultPolicy, () => 0.999999)).toBeCloseTo(step, 0);
    }
    expect(backoffDelay(30, defaultPolicy, () => 1)).toBe(defaultPolicy.maxDelayMs);
    // Jitter spreads a crowd of clients: 100 draws give many distinct delays.
    expect(new Set(Array.from({ length: 100 }, () => Math.round(backoffDelay(3)))).size).toBeGreaterThan(50);
  });

  it("comes back after network failures and server errors, not after leaving, a kick, a takeover or a closed room", () => {
    for (const code of [1001, 1006, 1011, 1012, 4000]) expect(shouldReconnect(code)).toBe(true);
    for (const code of [1000, 1008, 4001, 4002]) expect(shouldReconnect(code)).toBe(false);
  });
});

describe("createInterpolator", () => {
  it("draws between the two updates around the delayed moment and holds still past the newest", () => {
    const lerp = createInterpolator(100);
    lerp.push(0, { a: { x: 0, y: 0 } });
    lerp.push(50, { a: { x: 10, y: 20 }, b: { x: 5, y: 5 } });
    expect(lerp.sample(125)).toEqual({ a: { x: 5, y: 10 }, b: { x: 5, y: 5 } });
    expect(lerp.sample(100)).toEqual({ a: { x: 0, y: 0 }, b: { x: 5, y: 5 } });
    expect(lerp.sample(1000)).toEqual({ a: { x: 10, y: 20 }, b: { x: 5, y: 5 } });
    expect(createInterpolator(100).sample(0)).toEqual({});
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
