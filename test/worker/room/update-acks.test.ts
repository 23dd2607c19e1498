// Update-carried acks: a realtime room acknowledges inputs in its updates, a turn-based one with an ack per action.
import { describe, expect, it } from "vitest";
import { joinGame } from "../../../client/sdk/join-game.ts";
import { shownPlayer, type ArenaState, type ArenaView } from "../../../src/games/arena.ts";
import type { PatchMessage, ServerMessage, SnapshotMessage } from "../../../src/protocol/messages.ts";
import { utf8Bytes } from "../../../src/engine/inbound.ts";
import { withAck } from "../../../src/worker/room/outbound/update-acks.ts";
import { settings } from "../../../src/worker/settings.ts";
import { TestRoom } from "../../kit/room.ts";
import { connectInWorkerd, isType, type TestSocket } from "../../kit/socket.ts";

const isUpdate = (m: ServerMessage): m is PatchMessage | SnapshotMessage => m.type === "patch" || m.type === "snapshot";
const updatesSince = (socket: TestSocket, from: number) => socket.messages.slice(from).filter(isUpdate);
// flush() asks for a resync, so a snapshot follows every flush: the ticks' updates are the patches.
/** An update's ack and, when the view shows more than is stored, what it shows (null when it does not). */
const ackAndApplied = (m: PatchMessage | SnapshotMessage) => [m.ack, m.applied ?? null];
const patchesSince = (socket: TestSocket, from: number) => socket.messages.slice(from).filter(isType("patch"));

/** Poll until `check` holds; bounded, and names what it waited for when it gives up. */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Tick until `check` holds: a session's frames reach the room in their own time. Bounded in ticks and time. */
async function ticksUntil(room: TestRoom, check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) {
    await room.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!check()) throw new Error(`no ${what} after 50 ticks`);
}

describe("a realtime room's acks", () => {
  it("ride each player's own updates: `applied` is what the tick applied, `ack` what is stored, never a queued input, and no ack message", async () => {
    const room = await TestRoom.create("arena", { preset: "bench" });
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    const [annFrom, bobFrom] = [ann.socket.messages.length, bob.socket.messages.length];
    for (const dx of [1, 0.5, -1]) ann.socket.act("input", { dx, dy: 0 });
    await ann.socket.flush();
    // Queued for the next tick: not applied, so nothing acknowledges it yet (the flush's snapshot says 0).
    expect(updatesSince(ann.socket, annFrom).map((m) => [m.type, m.ack])).toEqual([["snapshot", 0]]);
    const queued = ann.socket.messages.length;

    await room.tick(settings.flushActionTicks);
    await ann.socket.flush();
    await bob.socket.flush();
    // The tick's update shows the inputs (`applied`); the ack comes with the update after the batch is stored.
    // One update per tick while the batch waits (`flushActionTicks - 1` of them), then the one that acks it.
    const waiting = <T>(held: T): T[] => Array.from({ length: settings.flushActionTicks - 1 }, () => held);
    expect(patchesSince(ann.socket, queued).map(ackAndApplied)).toEqual([...waiting([0, 3]), [3, null]]);
    expect((await room.record()).seqs[ann.playerId]).toBe(3);
    // Bob's update is his team's text with his own ack.
    expect(patchesSince(bob.socket, bobFrom).map(ackAndApplied)).toEqual([...waiting([0, null]), [0, null]]);

    const [annNext, bobNext] = [ann.socket.messages.length, bob.socket.messages.length];
    ann.socket.act("input", { dx: 0, dy: 1 });
    bob.socket.act("input", { dx: 0, dy: -1 });
    await ann.socket.flush();
    await bob.socket.flush();
    await room.tick(settings.flushActionTicks);
    await ann.socket.flush();
    await bob.socket.flush();
    expect(patchesSince(ann.socket, annNext).map(ackAndApplied)).toEqual([...waiting([3, 4]), [4, null]]);
    expect(patchesSince(bob.socket, bobNext).map(ackAndApplied)).toEqual([...waiting([0, 1]), [1, null]]);
    // A snapshot carries the ack of the state it shows: 3 while input 4 waited for the tick, 4 after its batch was stored.
    expect(updatesSince(ann.socket, annNext).map((m) => [m.type, ...ackAndApplied(m)])).toEqual([["snapshot", 3, null], ...waiting(["patch", 3, 4]), ["patch", 4, null], ["snapshot", 4, null]]);
    for (const socket of [ann.socket, bob.socket]) {
      expect(socket.messages.filter(isType("ack"))).toEqual([]);
      // `applied` is sent only when the view shows more than is stored.
      for (const m of socket.messages.filter(isUpdate)) if (m.applied !== undefined) expect(m.applied).toBeGreaterThan(m.ack ?? 0);
      expect(socket.gaps).toBe(0);
      expect(socket.client.pending).toBe(0);
    }
  });

  it("still reach a player whose input changed nothing anyone sees: an update with no ops, and nothing when nobody acted", async () => {
    const room = await TestRoom.create("arena", { preset: "bench" });
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    await room.tick();
    await ann.socket.flush();
    const from = ann.socket.messages.length;
    const where = shownPlayer(ann.socket.game as ArenaView, ann.playerId);
    // Standing still is the input a still player already has: the tick changes no view.
    const seq = ann.socket.act("input", { dx: 0, dy: 0 });
    await ann.socket.flush();
    await room.tick(settings.flushActionTicks);
    await ann.socket.flush();
    await bob.socket.flush();
    expect(patchesSince(ann.socket, from)).toMatchObject([{ ops: [], ack: 0, applied: seq }, { ops: [], ack: seq }]);
    expect(shownPlayer(ann.socket.game as ArenaView, ann.playerId)).toEqual(where);
    expect(ann.socket.client.version).toBe((await room.record()).version);

    const quiet = ann.socket.messages.length;
    await room.tick(3);
    await ann.socket.flush();
    expect(patchesSince(ann.socket, quiet)).toEqual([]);
    expect([ann.socket.gaps, bob.socket.gaps]).toEqual([0, 0]);
  });

  it("answer a resent seq the room already applied with an ack message, and apply it no second time", async () => {
    const room = await TestRoom.create("arena", { preset: "bench" });
    const ann = await room.join("ann");
    const seq = ann.socket.act("input", { dx: 1, dy: 0 });
    await ann.socket.flush();
    await room.tick();
    const before = await room.record();
    const from = ann.socket.messages.length;
    ann.socket.act("input", { dx: -1, dy: 0 }, seq);
    await ann.socket.next(isType("ack"), from);
    await room.tick();
    const after = await room.record();
    expect(after.seqs).toEqual(before.seqs);
    // Still moving right: the duplicate's direction was never applied.
    const x = (record: typeof before) => (record.state as { players: Record<string, { x: number }> }).players[ann.playerId]?.x ?? Number.NaN;
    expect(x(after)).toBeGreaterThan(x(before));
  });

  it("clear the SDK's outbox across a room restart: what the room applied is never resent, the rest is resent once", async () => {
    const room = await TestRoom.create("arena", { preset: "bench" });
    const join = (name: string) => joinGame("arena", { via: "room", roomId: room.id, name, server: room.server, connect: connectInWorkerd, policy: { minDelayMs: 20, maxDelayMs: 200 } });
    const [ann, bob] = [await join("ann"), await join("bob")];
    for (const dx of [1, 1, 1]) ann.send("input", { dx, dy: 0 });
    await ticksUntil(room, () => ann.client.lastAcked === 3, "a tick's update to acknowledge them");
    expect(ann.client.pending).toBe(0);

    // The room restarts and takes the sockets with it; inputs made meanwhile wait in the outbox.
    await room.evict({ webSockets: "close" });
    await until(() => ann.status === "reconnecting", "ann to notice");
    ann.send("input", { dx: -1, dy: 0 });
    ann.send("input", { dx: 0, dy: 1 });
    expect(ann.client.pending).toBe(2);
    await until(() => ann.status === "open" && ann.client.welcomed, "ann back");
    // The welcome says what the room stored before the restart; inputs 4 and 5 went again (any later step applies them).
    expect(ann.client.welcome?.lastSeq).toBe(3);
    await ticksUntil(room, () => ann.lastAcked === 5, "the resent inputs acknowledged");
    expect(ann.client.pending).toBe(0);
    const record = await room.record();
    const id = ann.playerId ?? "";
    expect(record.seqs[id]).toBe(5);
    expect((record.state as ArenaState).players[id]).toMatchObject({ dx: 0, dy: 1 });
    ann.leave();
    bob.leave();
  });
});

describe("an update's per-socket text", () => {
  it("is the audience's text with the ack spliced in, and `applied` only when the view reflects more than is stored", () => {
    const text = JSON.stringify({ type: "patch", from: 1, to: 2, ops: [] });
    expect(JSON.parse(withAck(text, 4, 4))).toEqual({ type: "patch", from: 1, to: 2, ops: [], ack: 4 });
    expect(JSON.parse(withAck(text, 4, 6))).toEqual({ type: "patch", from: 1, to: 2, ops: [], ack: 4, applied: 6 });
  });

  it("is longer in UTF-8 by exactly its added length (the ack is ASCII), so the fanout meters it from the audience's size", () => {
    for (const text of [JSON.stringify({ type: "patch", ops: [] }), JSON.stringify({ type: "patch", ops: [{ op: "add", path: "/é", value: "🎲\ud800" }] })]) {
      for (const [ack, applied] of [[0, 0], [12, 40], [123_456, 123_456]] as const) {
        const acked = withAck(text, ack, applied);
        expect(utf8Bytes(acked)).toBe(utf8Bytes(text) + acked.length - text.length);
      }
    }
  });
});

describe("a turn-based room's acks", () => {
  it("come one per action in an ack message, and its updates carry none", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const [x, o] = [await room.join("xena"), await room.join("otto")];
    const from = x.socket.messages.length;
    const seq = x.socket.act("place", { cell: 4 });
    await x.socket.next(isType("ack"), from);
    await o.socket.flush();
    expect(x.socket.messages.slice(from).filter(isType("ack"))).toEqual([{ type: "ack", seq }]);
    for (const socket of [x.socket, o.socket]) for (const m of socket.messages.filter(isUpdate)) expect(m.ack).toBeUndefined();
  });
});
