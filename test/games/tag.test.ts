// Tag's rules, pure (the engine's advance() with no I/O), then one real room in workerd through the test kit.
import { describe, expect, it } from "vitest";
import { advance, createMatch, type LogEntry, type MatchRecord } from "../../src/engine/match.ts";
import { tag, type TagState } from "../../src/games/tag.ts";
import { TestRoom } from "../kit/room.ts";

const join = (p: string): LogEntry => ({ kind: "join", player: p, name: p, team: "players" });
const input = (p: string, s: number, dx: number, dy: number): LogEntry => ({ kind: "act", player: p, seq: s, action: "input", payload: { dx, dy } });

/** One step of the match: apply `entries`, then run `ticks` ticks of 50 ms. */
const run = (record: MatchRecord<TagState>, ticks: number, ...entries: LogEntry[]) =>
  advance(tag, record, { tick: record.tick, time: 0, entries, ticks }).record;

const start = (preset = "default") => run(createMatch(tag, { preset, seed: 1, time: 0 }), 0, join("ann"), join("bob"));

/** Move players by hand, so a test decides who is near whom. */
const place = (record: MatchRecord<TagState>, spots: Record<string, { x: number; y: number }>): MatchRecord<TagState> => ({
  ...record,
  state: { ...record.state, players: Object.fromEntries(Object.entries(record.state.players).map(([id, p]) => [id, { ...p, ...spots[id] }])) },
});

describe("tag", () => {
  it("makes the first player to join it, and gives everyone a place in the world", () => {
    const { state } = start();
    expect(state.it).toBe("ann");
    for (const p of Object.values(state.players)) expect(p).toMatchObject({ dx: 0, dy: 0, score: 0 });
  });

  it("moves a player at 200 units a second, and not past the edge of the world", () => {
    let record = place(start(), { bob: { x: 590, y: 300 } });
    record = run(record, 1, input("bob", 1, 1, 0));
    expect(record.state.players.bob).toMatchObject({ x: 600, y: 300 });
    record = run(record, 20, input("bob", 2, 0, -1));
    expect(record.state.players.bob).toMatchObject({ x: 600, y: 100 });
  });

  it("passes it on a touch, and the new it cannot tag straight back", () => {
    let record = run(place(start(), { ann: { x: 100, y: 100 }, bob: { x: 110, y: 100 } }), 1);
    expect(record.state.it).toBe("bob");
    record = run(record, 19);
    expect(record.state.it).toBe("bob");
    record = run(record, 1);
    expect(record.state.it).toBe("ann");
  });

  it("counts seconds not being it, and ends a timed match with the best score as the winner", () => {
    const record = run(place(start("timed"), { ann: { x: 0, y: 0 }, bob: { x: 600, y: 600 } }), 60 * 20);
    expect(record.state.players.bob?.score).toBe(60);
    expect(record.state.players.ann?.score).toBe(0);
    expect(record.result).toEqual({ winner: "bob" });
  });

  it("gives it to someone else when it leaves", () => {
    const record = run(start(), 0, join("cat"), { kind: "leave", player: "ann" });
    expect(["bob", "cat"]).toContain(record.state.it);
  });

  it("plays in a real room: ann chases bob, tags him, and every client's view equals the server's", async () => {
    const room = await TestRoom.create("tag", { seed: 7 });
    const ann = await room.join("ann");
    const bob = await room.join("bob");
    const state = async () => (await room.record()).state as TagState;

    const { players } = await state();
    const [from, to] = [players[ann.playerId], players[bob.playerId]];
    if (!from || !to) throw new Error("both players should have a place");
    const distance = Math.hypot(to.x - from.x, to.y - from.y);
    ann.socket.act("input", { dx: (to.x - from.x) / distance, dy: (to.y - from.y) / distance });
    await ann.socket.flush();

    for (let t = 0; t < 100 && (await state()).it === ann.playerId; t++) await room.tick();
    expect((await state()).it).toBe(bob.playerId);

    for (const { socket } of [ann, bob]) {
      await socket.flush();
      expect(socket.mismatches).toBe(0);
      expect(socket.view).toEqual(await room.view("team:players"));
    }
  });
});
