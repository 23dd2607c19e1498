// Turn-based rooms: battleship over sockets, turn deadlines on the room's alarm, match end and retention.
import { describe, expect, it } from "vitest";
import type { MatchRecord } from "../../../src/engine/match.ts";
import type { BattleshipState, BattleshipView } from "../../../src/games/battleship.ts";
import { settings } from "../../../src/worker/settings.ts";
import { TestRoom, type Joined } from "../../kit/room.ts";
import { isType } from "../../kit/socket.ts";

const state = (record: MatchRecord) => record.state as BattleshipState;
const view = (p: Joined) => p.socket.game as BattleshipView;

async function startedMatch(seed = 1): Promise<{ room: TestRoom; red: Joined; blue: Joined }> {
  const room = await TestRoom.create("battleship", { preset: "quick", seed });
  const red = await room.join("rosa");
  const blue = await room.join("bert");
  for (const p of [red, blue]) {
    p.socket.act("shuffle", {});
    p.socket.act("ready", {});
    await p.socket.flush();
  }
  return { room, red, blue };
}

/** The first cell `p` has not fired at yet, scanning the enemy board row by row. */
const untried = (room: TestRoom, p: Joined, enemy: string) => {
  const shots = view(p).shots[enemy] ?? {};
  for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) if (!shots[`${x},${y}`]) return { x, y };
  throw new Error(`no untried cell in ${room.id}`);
};

describe("a battleship room", () => {
  it("plays a match to the end over sockets, one turn decided by the deadline, and red never sees an unsunk blue ship", async () => {
    const { room, red, blue } = await startedMatch();
    expect(view(red)).toMatchObject({ phase: "firing", turn: "red" });
    let turns = 0;
    let timedOut = false;
    while (state(await room.record()).phase === "firing" && turns < 100) {
      const current = state(await room.record());
      const [shooter, enemy] = current.turn === "red" ? [red, "blue"] : [blue, "red"];
      if (turns === 3) {
        // Nobody moves: the room's alarm fires at the deadline and shoots for the waiting team.
        expect(await room.alarmAt()).toBe(current.turnEndsAt);
        await room.skipTo(current.turnEndsAt ?? 0);
        expect(state(await room.record()).lastShot).toMatchObject({ by: current.turn, auto: true });
        timedOut = true;
      } else {
        shooter.socket.act("fire", untried(room, shooter, enemy));
        await shooter.socket.flush();
      }
      turns += 1;
      await red.socket.flush();
      const blueFleet = state(await room.record()).fleets.blue ?? [];
      const sunk = state(await room.record()).sunk.blue ?? [];
      const hidden = blueFleet.filter((_, i) => !sunk.includes(i)).map((ship) => JSON.stringify(ship));
      for (const message of red.socket.messages) {
        const text = JSON.stringify(message);
        if (state(await room.record()).phase === "firing") for (const ship of hidden) expect(text).not.toContain(ship);
      }
    }
    expect(timedOut).toBe(true);
    const record = await room.record();
    expect(record.result).toMatchObject({ winner: expect.stringMatching(/red|blue/) });
    await red.socket.next(isType("result"));
    await blue.socket.next(isType("result"));
    expect(view(red).revealed.blue).toEqual(state(record).fleets.blue);
    expect(red.socket.mismatches + blue.socket.mismatches).toBe(0);
  });

  it("keeps no alarm but the turn deadline while it waits for a move", async () => {
    const { room } = await startedMatch(2);
    const { turnEndsAt } = state(await room.record());
    expect(await room.alarmAt()).toBe(turnEndsAt);
    const before = (await room.info()).stats.alarms;
    await room.skipTo(turnEndsAt ?? 0);
    expect((await room.info()).stats.alarms).toBe(before + 1);
    expect(await room.alarmAt()).toBe(state(await room.record()).turnEndsAt);
  });

  it("fires a deadline that comes due while the room is evicted", async () => {
    const { room } = await startedMatch(3);
    const { turnEndsAt, turn } = state(await room.record());
    await room.evict();
    await room.skipTo(turnEndsAt ?? 0);
    expect(state(await room.record()).lastShot).toMatchObject({ by: turn, auto: true });
  });

  it("clears itself after the retention period once the match has ended", async () => {
    const { room, red, blue } = await startedMatch(4);
    // The players keep talking, as connected clients do, so no socket is closed as idle on the way.
    const talk = async () => {
      await red.socket.flush();
      await blue.socket.flush();
    };
    for (let i = 0; i < 200 && state(await room.record()).phase === "firing"; i++) {
      await room.skipTo(state(await room.record()).turnEndsAt ?? 0);
      await talk();
    }
    const { endedAt } = await room.record();
    expect(endedAt).toBeDefined();
    const closeAt = (endedAt ?? 0) + settings.retentionSeconds * 1000;
    // Until then the only alarms are idle sweeps, which find everyone still talking.
    for (let at = await room.alarmAt(), i = 0; at !== null && at < closeAt && i < 1000; at = await room.alarmAt(), i++) {
      await room.skipTo(at);
      await talk();
    }
    expect(red.socket.closed).toBeUndefined();
    expect(await room.alarmAt()).toBe(closeAt);
    await room.skipTo(closeAt);
    expect((await red.socket.closing()).code).toBe(4002);
    expect(await room.stub.info()).toMatchObject({ code: "room_not_found" });
  });
});
