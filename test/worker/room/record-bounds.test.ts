// A match record stays bounded: the same size over join and leave cycles, storage too, and at its budget a step is refused or the match ends.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ResultMessage } from "../../../src/protocol/messages.ts";
import { advance, createMatch, type LogEntry } from "../../../src/engine/match.ts";
import { arena } from "../../../src/games/arena.ts";
import { settings } from "../../../src/worker/settings.ts";
import { recordBudget, TestRoom } from "../../kit/room.ts";
import { acknowledges, isType, LEAVE, TestSocket } from "../../kit/socket.ts";

describe("the match record", () => {
  it("stays the same size over 10,000 join/leave cycles of the rules", () => {
    let record = createMatch(arena, { preset: "default", seed: 1, time: 0 });
    const step = (entries: LogEntry[]) => (record = advance(arena, record, { tick: record.tick, time: 0, entries, ticks: 1 }).record);
    step([{ kind: "join", player: "stay", name: "stay", team: "red" }]);
    const sizes: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const id = `visitor-${i}`;
      step([{ kind: "join", player: id, name: id, team: "blue" }, { kind: "act", player: id, seq: 1, action: "input", payload: { dx: 1, dy: 0 } }]);
      step([{ kind: "leave", player: id }]);
      if (i % 1000 === 999) sizes.push(JSON.stringify({ ...record, tick: 0, version: 0, rng: 0, state: null }).length);
    }
    expect(Object.keys(record.players)).toEqual(["stay"]);
    expect(Object.keys(record.seqs)).toEqual([]);
    expect(new Set(sizes).size).toBe(1);
  });

  it("and the room's storage stay bounded over 200 joins and leaves through real sockets", async () => {
    const room = await TestRoom.create("arena");
    const stay = await room.join("stay");
    const sizes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const visitor = await room.join(`v${i}`);
      visitor.socket.send(LEAVE);
      await visitor.socket.closing();
      // Half a second of play between visits, so used tickets expire as they do in real time.
      await stay.socket.flush();
      await room.tick(10);
      if (i % 50 === 49) sizes.push((await room.info()).stats.recordBytes);
    }
    expect(Object.keys((await room.record()).players)).toEqual([stay.playerId]);
    // Within a few bytes: positions and counters change, nothing accumulates.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(64);
    // The replay log stops at its bound, and the one seated player's token is the only session left. Used
    // tickets are remembered until they expire on the wall clock (a ticket's lifetime), so they are counted apart.
    const { storedRows } = (await room.info()).stats;
    const count = (table: string) => runInDurableObject(room.stub, (_instance, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n);
    const sum = (query: string) => runInDurableObject(room.stub, (_instance, state) => state.storage.sql.exec<{ n: number }>(query).one().n);
    // The replay log's rows (slot > 0) hold at most maxReplaySteps steps; after it, a ring of checkpointRows rows.
    expect(await sum("SELECT sum(count) AS n FROM journal WHERE slot > 0")).toBeLessThanOrEqual(settings.maxReplaySteps);
    expect(await sum("SELECT count(*) AS n FROM journal WHERE slot < 0")).toBeLessThanOrEqual(settings.checkpointRows);
    expect(await count("sessions")).toBe(1);
    // Meta, the initial record, the one session; the rest is the journal (checkpoints in it) and the used tickets.
    expect(storedRows - (await count("used_tickets")) - (await count("journal"))).toBe(1 + 1 + 1);
  }, 120_000);

  describe("at its budget", () => {
    const setBudget = recordBudget();

    it("refuses a join with a typed error and no socket, and keeps ticking and applying actions", async () => {
      const room = await TestRoom.create("arena");
      const ann = await room.join("ann");
      await room.tick(2);
      // Room for ann's input under her 18-character guest id, not for a second seat.
      setBudget((await room.info()).stats.recordBytes + 80);
      const { url } = await room.ticket("bob-with-a-long-name");
      const refused = await TestSocket.attempt(url);
      expect(refused).toMatchObject({ status: 507, error: { code: "record_too_large" } });
      expect(refused.socket).toBeUndefined();
      const before = await room.record();
      const seq = ann.socket.act("input", { dx: 1, dy: 0 });
      await ann.socket.flush();
      await room.tick(5);
      await ann.socket.next(acknowledges(seq));
      const after = await room.record();
      expect(after.tick).toBe(before.tick + 5);
      expect(Object.keys(after.players)).toEqual([ann.playerId]);
      expect(after.result).toBeUndefined();
    });

    it("refuses an action that would outgrow it the same way for a record past 64 KiB, whose length is added up from its parts", async () => {
      // bench-static: 10,000 static obstacles, so the record is ~300 KB and each step measures it by parts (step.ts).
      const room = await TestRoom.create("arena", { preset: "bench-static" });
      const ann = await room.join("ann");
      await room.tick(2);
      const bytes = (await room.info()).stats.recordBytes;
      expect(bytes).toBeGreaterThan(64 * 1024);
      // Room for a few more digits in tick and version, not for ann's first input and its seq.
      setBudget(bytes + 20);
      const seq = ann.socket.act("input", { dx: 1, dy: 0 });
      await ann.socket.flush();
      await room.tick();
      expect(await ann.socket.next((m) => m.type === "error")).toMatchObject({ code: "record_too_large", seq });
      const after = await room.record();
      expect(after.seqs[ann.playerId]).toBeUndefined();
      expect(after.result).toBeUndefined();
    });

    it("ends the match with reason limit when its own ticks outgrow it, and every socket hears why", async () => {
      const room = await TestRoom.create("arena");
      const ann = await room.join("ann");
      const watcher = await room.join("eve", "spectate");
      setBudget(100);
      await room.tick();
      const ended = await room.record();
      expect(ended).toMatchObject({ endReason: "limit", result: null });
      for (const socket of [ann.socket, watcher.socket]) {
        expect(await socket.next(isType("result"))).toEqual({ type: "result", reason: "limit", result: null } satisfies ResultMessage);
      }
      // No tick any more: the next alarm is an idle sweep of the open sockets, or the retention.
      expect(await room.alarmAt()).toBeGreaterThan((ended.endedAt ?? 0) + 1000);
    });
  });
});
