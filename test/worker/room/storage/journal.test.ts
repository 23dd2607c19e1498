// The room's storage in batches: a checkpoint plus the steps since it rebuild the room exactly, idle ticks write no row, and a code change replays nothing.
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashOf } from "../../../../src/engine/hash.ts";
import type { MatchRecord } from "../../../../src/engine/match.ts";
import { createRandom } from "../../../../src/engine/random.ts";
import { arena } from "../../../../src/games/arena.ts";
import { resumeSkip } from "../../../../src/worker/room/storage/journal.ts";
import { settings } from "../../../../src/worker/settings.ts";
import { TestRoom, type Joined } from "../../../kit/room.ts";
import { acknowledges } from "../../../kit/socket.ts";

/** What the room has stored: its checkpoint's tick, the journal rows after it, and the rows it has written so far. */
async function stored(room: TestRoom): Promise<{ checkpointTick: number; rowsAfter: number; rowsWritten: number }> {
  const sql = await runInDurableObject(room.stub, (_instance, state) => {
    const checkpoint = state.storage.sql.exec<{ record: string; n: number }>("SELECT record, n FROM journal WHERE record IS NOT NULL ORDER BY n DESC LIMIT 1").one();
    const after = state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM journal WHERE n > ?", checkpoint.n).one().n;
    return { checkpointTick: (JSON.parse(checkpoint.record) as MatchRecord).tick, rowsAfter: after };
  });
  return { ...sql, rowsWritten: (await room.info()).stats.rowsWritten };
}

async function arenaWith(count: number): Promise<{ room: TestRoom; players: Joined[] }> {
  const room = await TestRoom.create("arena", { seed: 5 });
  const players: Joined[] = [];
  for (let i = 0; i < count; i++) players.push(await room.join(`p${i}`));
  return { room, players };
}

/** Every player sends an input, then one tick: the bench's load (an input every 50 ms). */
async function moving(room: TestRoom, players: readonly Joined[], ticks: number, seed = 1): Promise<void> {
  const random = createRandom(seed);
  for (let t = 0; t < ticks; t++) {
    for (const p of players) p.socket.act("input", { dx: random.between(-1, 1), dy: random.between(-1, 1) });
    for (const p of players) await p.socket.flush();
    await room.tick();
  }
}

describe("a realtime room's storage", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes no row for a tick without input, one per flushIdleTicks of them", async () => {
    const { room } = await arenaWith(4);
    await room.tick(settings.flushIdleTicks);
    const start = await stored(room);
    await room.tick(settings.flushIdleTicks - 1);
    expect((await stored(room)).rowsWritten).toBe(start.rowsWritten);
    await room.tick(1);
    expect((await stored(room)).rowsWritten).toBe(start.rowsWritten + 1);
    await room.tick(settings.flushIdleTicks * 20);
    // 0.025 rows a tick with the defaults: a checkpoint is one of those rows.
    const idle = ((await stored(room)).rowsWritten - start.rowsWritten) / (settings.flushIdleTicks * 21);
    expect(idle).toBeLessThanOrEqual(0.05);
  });

  it("writes at most half a row per tick while every player sends an input every tick", async () => {
    const { room, players } = await arenaWith(8);
    await moving(room, players, 3);
    const start = await stored(room);
    await moving(room, players, 300, 2);
    const perTick = ((await stored(room)).rowsWritten - start.rowsWritten) / 300;
    expect(perTick).toBeLessThanOrEqual(0.5);
    expect(perTick).toBeGreaterThan(0);
  });

  it("acknowledges an input only once its step is stored, and an acknowledged input survives a restart", async () => {
    const { room, players } = await arenaWith(2);
    const [ann] = players as [Joined, Joined];
    const seq = ann.socket.act("input", { dx: 1, dy: 0 });
    await ann.socket.flush();
    const before = (await stored(room)).rowsWritten;
    await room.tick();
    await ann.socket.flush();
    // Applied and shown, not yet stored: the update says so with `applied`, and no update acknowledges it.
    expect((await room.record()).seqs[ann.playerId]).toBe(seq);
    expect(ann.socket.messages.filter(acknowledges(seq))).toEqual([]);
    const shown = ann.socket.messages.filter((m) => (m.type === "patch" || m.type === "snapshot") && m.applied === seq);
    expect(shown.length).toBeGreaterThan(0);
    await room.tick(settings.flushActionTicks - 1);
    await ann.socket.next(acknowledges(seq));
    expect((await stored(room)).rowsWritten).toBe(before + 1);
    await room.evict({ webSockets: "close" });
    expect((await room.record()).seqs[ann.playerId]).toBe(seq);
  });

  it("rebuilds exactly the record its checkpoint and the steps after it produced, when it wakes mid-match", async () => {
    const { room, players } = await arenaWith(6);
    // Past a few checkpoints and past the replay log's bound, so the steps come from the ring too.
    const ticks = Math.ceil(settings.maxReplaySteps / 6) * 3 + settings.flushActionTicks * settings.checkpointRows + 3;
    await moving(room, players, ticks - (ticks % settings.flushActionTicks));
    const before = await room.record();
    const storage = await stored(room);
    // The last batch was just stored, and the checkpoint is older: a wake must run the steps after it.
    expect(storage.rowsAfter).toBeGreaterThan(0);
    expect(storage.checkpointTick).toBeLessThan(before.tick);
    const rules = vi.spyOn(arena, "tick");
    await room.evict();
    expect(rules).toHaveBeenCalled();
    const woken = await room.record();
    // The one change of the wake: a resume step jumps the versions past any sent but not stored.
    expect(hashOf({ ...woken, version: woken.version - resumeSkip() - 1 })).toBe(hashOf(before));
  });

  it("loses only unacknowledged ticks when it dies with steps not yet stored", async () => {
    const { room, players } = await arenaWith(2);
    await moving(room, players, settings.flushActionTicks);
    const storedRecord = await room.record();
    await room.tick(5);
    const sent = await room.record();
    await room.evict({ webSockets: "close" });
    const woken = await room.record();
    expect(woken.tick).toBe(storedRecord.tick);
    expect(woken.seqs).toEqual(storedRecord.seqs);
    // No version it sent before the crash means another state after it.
    expect(woken.version).toBeGreaterThan(sent.version);
  });
});

describe("a room woken under a new game version", () => {
  const { version, migrate } = arena;
  afterEach(() => {
    Object.assign(arena, { version, migrate });
    vi.restoreAllMocks();
  });

  it("never runs the steps stored after its checkpoint through the new rules", async () => {
    const { room, players } = await arenaWith(3);
    await moving(room, players, settings.flushActionTicks * 4);
    const storage = await stored(room);
    expect(storage.rowsAfter).toBeGreaterThan(0);
    const input = arena.actions.input;
    if (!input) throw new Error("arena has an input action");
    Object.assign(arena, { version: version + 1, migrate: (state: unknown) => state });
    const applied = vi.spyOn(input, "apply");
    const ticked = vi.spyOn(arena, "tick");
    await room.evict({ webSockets: "close" });
    const woken = await room.record();
    expect(applied).not.toHaveBeenCalled();
    expect(ticked).not.toHaveBeenCalled();
    expect(woken).toMatchObject({ gameVersion: version + 1, tick: storage.checkpointTick });
    expect(woken.result).toBeUndefined();
  });
});
