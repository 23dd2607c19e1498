// No leaks: 10,000 random arena ticks, each team pinging a canary; no audience ever receives another's.
import { describe, expect, it } from "vitest";
import { applyOps } from "../../client/sdk/patch.ts";
import { advance, createMatch, type LogEntry, type MatchRecord } from "../../src/engine/match.ts";
import type { PatchMessage, SnapshotMessage } from "../../src/protocol/messages.ts";
import { createRandom } from "../../src/engine/random.ts";
import { updateFor, viewFor, type AudienceKey, type Sent } from "../../src/engine/updates/views.ts";
import { arena } from "../../src/games/arena.ts";

const TICKS = 10_000;
const audiences: AudienceKey[] = ["team:red", "team:blue", "spectator"];
/** Each audience's secret: a team's canary may reach that team alone; spectators have none. */
const canary = (team: string) => `CANARY-${team.toUpperCase()}`;
const foreign = (audience: AudienceKey) => ["red", "blue"].filter((team) => audience !== `team:${team}`).map(canary);

describe("an arena match of 10,000 random ticks", () => {
  it("never sends an audience another's canary or a path into private state, and every patched view equals the server's", () => {
    const random = createRandom(2026);
    const players = [["r1", "red"], ["b1", "blue"], ["r2", "red"], ["b2", "blue"]] as const;
    let record: MatchRecord = createMatch(arena, { preset: "default", seed: 7, time: 0 });
    record = advance(arena, record as never, {
      tick: 0,
      time: 0,
      entries: players.map(([p, team]): LogEntry => ({ kind: "join", player: p, name: p, team })),
      ticks: 0,
    }).record;
    const sent = new Map<AudienceKey, Sent>(audiences.map((a) => [a, { version: record.version, view: viewFor(arena, record as never, a) }]));
    const held = new Map<AudienceKey, unknown>(audiences.map((a) => [a, structuredClone(sent.get(a)?.view)]));
    const seqs = new Map<string, number>();
    let messages = 0;
    let canariesSent = 0;
    // The canaries do reach their own team: proof that the check below looks at real traffic.
    let ownCanaries = 0;
    for (let t = 0; t < TICKS; t++) {
      const entries: LogEntry[] = [];
      for (const [p, team] of players) {
        const s = () => {
          seqs.set(p, (seqs.get(p) ?? 0) + 1);
          return seqs.get(p) ?? 0;
        };
        if (random.next() < 0.05) entries.push({ kind: "act", player: p, seq: s(), action: "input", payload: { dx: random.between(-1, 1), dy: random.between(-1, 1) } });
        if (random.next() < 0.01) {
          entries.push({ kind: "act", player: p, seq: s(), action: "ping", payload: { x: random.between(0, 1000), y: random.between(0, 1000), label: `${canary(team)}-${t}` } });
          canariesSent += 1;
        }
      }
      record = advance(arena, record as never, { tick: record.tick, time: t * 50, entries, ticks: 1 }).record;
      for (const audience of audiences) {
        const view = viewFor(arena, record as never, audience);
        const update = updateFor(sent.get(audience) as Sent, view, record.version);
        if (!update) continue;
        messages += 1;
        if (audience !== "spectator" && update.text.includes(canary(audience.slice(5)))) ownCanaries += 1;
        for (const secret of foreign(audience)) expect(update.text.includes(secret), `${audience} got ${secret} at tick ${t}`).toBe(false);
        expect(/"path":"\/game\/pings|"d[xy]":/.test(update.text), `${audience} got a private path or a player's input at tick ${t}`).toBe(false);
        const message = JSON.parse(update.text) as PatchMessage | SnapshotMessage;
        const next = message.type === "snapshot" ? message.view : applyOps(held.get(audience), message.ops);
        expect(next, `${audience} could not apply its patch at tick ${t}`).toEqual(view);
        held.set(audience, next);
        sent.set(audience, update.sent);
      }
    }
    expect(record.tick).toBe(TICKS);
    expect(canariesSent).toBeGreaterThan(100);
    expect(ownCanaries).toBeGreaterThan(100);
    expect(messages).toBeGreaterThan(TICKS);
  });
});
