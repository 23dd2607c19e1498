// Fault injection: rules and views that throw change nothing, tell only the affected player, and never stop the loop.
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashOf } from "../../../src/engine/hash.ts";
import { replay, type MatchRecord, type Step } from "../../../src/engine/match.ts";
import { createRandom } from "../../../src/engine/random.ts";
import { teamTag } from "../../../src/engine/updates/views.ts";
import { arena } from "../../../src/games/arena.ts";
import { TestRoom } from "../../kit/room.ts";
import { isType } from "../../kit/socket.ts";

const FAULTS = 1000;

describe("a room whose game code throws", () => {
  afterEach(() => vi.restoreAllMocks());

  it(`survives ${FAULTS} injected throws in actions, ticks and views with nothing half-written`, async () => {
    // A thousand injected failures would each be logged by the room; the log is not what is tested here.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const room = await TestRoom.create("arena", { seed: 9 });
    const players = [await room.join("ann"), await room.join("bob"), await room.join("cat"), await room.join("dan")];
    const random = createRandom(404);
    const faults = { action: 0, tick: 0, view: 0 };
    const inject = <A extends unknown[], R>(kind: keyof typeof faults, rate: number, real: (...args: A) => R) =>
      (...args: A): R => {
        if (random.next() < rate) {
          faults[kind] += 1;
          throw new Error(`injected ${kind} fault`);
        }
        return real(...args);
      };
    const input = arena.actions.input;
    if (!input) throw new Error("arena has an input action");
    // The real functions are taken before the spies replace them.
    const real = { apply: input.apply.bind(input), tick: arena.tick.bind(arena), teamView: arena.teamView.bind(arena) };
    vi.spyOn(input, "apply").mockImplementation(inject("action", 0.3, real.apply));
    vi.spyOn(arena, "tick").mockImplementation(inject("tick", 0.3, real.tick));
    vi.spyOn(arena, "teamView").mockImplementation(inject("view", 0.05, real.teamView));

    let ticksTried = 0;
    while (faults.action + faults.tick + faults.view < FAULTS && ticksTried < 3000) {
      for (const p of players) if (random.next() < 0.5) p.socket.act("input", { dx: random.between(-1, 1), dy: random.between(-1, 1) });
      for (const p of players) await p.socket.flush();
      await room.tick();
      ticksTried += 1;
    }
    for (const spy of [input.apply, arena.tick, arena.teamView]) vi.mocked(spy).mockRestore();
    const total = faults.action + faults.tick + faults.view;
    expect(total).toBeGreaterThanOrEqual(FAULTS);

    // The loop kept ticking through every failed tick.
    const live = await room.record();
    expect(faults.tick).toBeGreaterThan(0);
    expect(live.tick).toBe(ticksTried - faults.tick);
    expect(live.tick).toBeGreaterThan(ticksTried / 2);
    // Each failed action was answered with a typed error, to its own player only.
    for (const p of players) await p.socket.flush();
    const failed = players.flatMap((p) => p.socket.messages.filter(isType("error"))).filter((e) => e.code === "action_failed");
    expect(failed.length).toBe(faults.action);
    // Audiences whose view threw caught up with a correct patch: every client holds the server's view.
    await room.tick();
    for (const p of players) {
      await p.socket.flush();
      expect(p.socket.view).toEqual(await room.view(teamTag(p.team)));
      expect(p.socket.gaps + p.socket.mismatches).toBe(0);
      expect(p.socket.closed).toBeUndefined();
    }
    // Nothing half-written: once the match is over, the stored log, replayed with the faults gone, rebuilds exactly the live record.
    const ended = await room.abandon(players);
    const steps: Step[] = [];
    type Page = { initial: MatchRecord; steps: Step[]; final: MatchRecord | null };
    const pageAt = async (from: number) => (await (await exports.default.fetch(`http://room.test/api/rooms/${room.id}/replay?from=${from}`)).json()) as Page;
    let page = await pageAt(0);
    for (steps.push(...page.steps); page.final === null; steps.push(...page.steps)) page = await pageAt(steps.length);
    expect(hashOf(replay(arena as never, page.initial as never, steps))).toBe(hashOf(ended));
    console.log(`faults injected: ${JSON.stringify(faults)} over ${ticksTried} ticks`);
  });
});
