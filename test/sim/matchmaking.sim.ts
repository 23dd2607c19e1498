// The matchmaking simulation (docs/scaling.md): a Poisson peak of quick plays (solos and parties of 2-4, rated players,
// every region) through the Worker's shard choice into the real Matchmaker and GameRoom objects, on a virtual clock.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject, it } from "vitest";
import type { Matchmaker } from "../../src/worker/matchmaker/matchmaker.ts";
import type { Region } from "../../src/worker/matchmaker/regions.ts";
import { shardName, shardStub } from "../../src/worker/matchmaker/shard-names.ts";
import { quickPlay } from "../../src/worker/matchmaker/shards.ts";
import { windowAt } from "../../src/worker/matchmaker/skill.ts";
import { CLOCK } from "../../src/worker/room/seams.ts";
import { settings } from "../../src/worker/settings.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Quick plays to simulate (a party's is one); SIM_QUICK_PLAYS overrides it. */
    simQuickPlays: number;
    /** Quick plays per virtual second at the peak; SIM_RATE. */
    simRate: number;
    /** Wall-clock seconds after which the run stops and reports what it covered; SIM_CAP_SECONDS. */
    simCapSeconds: number;
    simSeed: number;
  }
}

const GAME = "arena";
const PRESET = "default";
/** Where quick plays come from: Cloudflare's regions, weighted roughly as a global game's players are. */
const REGION_WEIGHTS: [Region, number][] = [["enam", 0.25], ["weur", 0.25], ["apac", 0.2], ["wnam", 0.1], ["eeur", 0.05], ["sam", 0.05], ["oc", 0.05], ["me", 0.03], ["afr", 0.02]];
/** Quick plays by party size: 55% solo, then parties of 2, 3 and 4. */
const SIZE_WEIGHTS: [number, number][] = [[1, 0.55], [2, 0.25], [3, 0.1], [4, 0.1]];
/** The documented soft limit of one Durable Object (docs/scaling.md). */
const OBJECT_LIMIT_RPS = 1000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const weighted = <T>(random: () => number, table: [T, number][]): T => {
  let r = random();
  for (const [value, weight] of table) if ((r -= weight) < 0) return value;
  return (table.at(-1) as [T, number])[0];
};

const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

interface Player {
  readonly arrival: number;
  readonly party: number;
}

interface Room {
  readonly created: number;
  capacity: number;
  players: Player[];
  teams: Record<string, number>;
  lo: number;
  hi: number;
  filledAt?: number;
}

it("matchmakes a peak of quick plays across regions and shards", async () => {
  const total = inject("simQuickPlays");
  const rate = inject("simRate");
  const capMs = 1000 * inject("simCapSeconds");
  const random = seeded(inject("simSeed"));
  const skill = settings.matchmaking.skill[GAME];
  if (!skill) throw new Error(`${GAME} has no skill window`);
  const regions = REGION_WEIGHTS.map(([region]) => region);

  // One virtual clock for every shard: the objects and this file share one isolate, so they read it live.
  const clock = { now: 10_000_000_000 };
  const start = clock.now;
  for (const region of regions) {
    for (let i = 0; i < settings.matchmaking.maxShards; i++) {
      await runInDurableObject(shardStub(env, shardName(GAME, region, i)), (matchmaker: Matchmaker) => {
        matchmaker[CLOCK] = () => clock.now;
      });
    }
  }

  const rooms = new Map<string, Room>();
  const partyFaults: string[] = [];
  const windowFaults: string[] = [];
  const refusals = new Map<string, number>();
  const wallStart = Date.now();
  let done = 0;
  let players = 0;
  for (; done < total && Date.now() - wallStart < capMs; done++) {
    clock.now += (-Math.log(1 - random()) / rate) * 1000;
    const region = weighted(random, REGION_WEIGHTS);
    const size = weighted(random, SIZE_WEIGHTS);
    // Friends are near each other in skill: a party's ratings sit within 100 of its own centre.
    const centre = 1500 + 300 * normal(random);
    const seekers = Array.from({ length: size }, (_, i) => ({ userId: `q${done}m${i}`, name: `p${i}`, rating: Math.round(size === 1 ? centre : centre + 100 * (random() - 0.5)) }));
    const placed = await quickPlay(env, { game: GAME, preset: PRESET, region, seekers, ttlMs: 600_000 }, random);
    if ("type" in placed) {
      refusals.set(placed.code, (refusals.get(placed.code) ?? 0) + 1);
      continue;
    }
    players += size;
    const ratings = seekers.map((s) => s.rating);
    const known = rooms.get(placed.roomId);
    const room: Room = known ?? { created: clock.now, capacity: placed.summary.capacity, players: [], teams: {}, lo: Math.min(...ratings), hi: Math.max(...ratings) };
    rooms.set(placed.roomId, room);
    room.lo = Math.min(room.lo, ...ratings);
    room.hi = Math.max(room.hi, ...ratings);
    // A room that existed took this group only if the spread stays inside its window now (a new room starts with the party's own).
    if (known && room.hi - room.lo > windowAt(skill, clock.now - room.created)) windowFaults.push(`${placed.roomId} at ${clock.now - room.created} ms: ${room.hi - room.lo}`);
    const teams = new Set(placed.seats.map((seat) => seat.team));
    const share = Math.ceil(room.capacity / 2);
    if (placed.seats.length !== size || (size <= share && teams.size !== 1)) partyFaults.push(`${done}: ${placed.seats.length} seats on ${teams.size} teams`);
    for (const seat of placed.seats) {
      room.players.push({ arrival: clock.now, party: size });
      room.teams[seat.team] = (room.teams[seat.team] ?? 0) + 1;
    }
    if (room.players.length > room.capacity) partyFaults.push(`${placed.roomId} holds ${room.players.length} of ${room.capacity}`);
    if (room.players.length >= room.capacity && room.filledAt === undefined) room.filledAt = clock.now;
  }
  const virtualMs = clock.now - start;
  const wallMs = Date.now() - wallStart;

  // Waits: from arrival to the room filling up. Players who arrived within the maximum wait of the end may still be
  // waiting, so the figures cover those who arrived before (censored: still waiting at the end although they did not).
  const horizon = start + virtualMs - 1000 * skill.maxWaitSeconds - 2000;
  const waits = { solo: [] as number[], party: [] as number[] };
  let censored = 0;
  for (const room of rooms.values()) {
    for (const player of room.players) {
      if (player.arrival > horizon) continue;
      if (room.filledAt === undefined) censored += 1;
      else (player.party === 1 ? waits.solo : waits.party).push(room.filledAt - player.arrival);
    }
  }
  const full = [...rooms.values()].filter((room) => room.filledAt !== undefined);
  const imbalance = full.map((room) => Math.max(...Object.values(room.teams)) - Math.min(...Object.values(room.teams), ...(Object.keys(room.teams).length < 2 ? [0] : [])));
  const spreads = full.map((room) => room.hi - room.lo);

  // Every shard's busiest virtual second and its mean rate, as its own meter counted them (matchmake, spills, reports).
  const lines: string[] = [];
  let peakShard = 0;
  let shardsUsed = 0;
  for (const region of regions) {
    const loads = await Promise.all(Array.from({ length: settings.matchmaking.maxShards }, (_, i) => shardStub(env, shardName(GAME, region, i)).load()));
    const used = loads.filter((load) => load.total > 0);
    shardsUsed += used.length;
    const peak = Math.max(0, ...used.map((load) => load.peak));
    peakShard = Math.max(peakShard, peak);
    const requests = used.reduce((sum, load) => sum + load.total, 0);
    lines.push(`| ${region} | ${used.length} | ${requests} | ${Math.round(requests / (virtualMs / 1000))} | ${peak} | ${Math.round(Math.max(0, ...used.map((load) => load.total)) / (virtualMs / 1000))} |`);
  }
  const ms = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(2)} s` : "n/a");
  const report = [
    `matchmaking simulation: ${done} quick plays (${players} players) in ${ms(virtualMs)} of virtual time at ${rate}/s (${Math.round(done / (virtualMs / 1000))}/s achieved), ${(wallMs / 1000).toFixed(0)} s of wall time, seed ${inject("simSeed")}`,
    "",
    "| region | shards used | requests to its shards | requests/s (region) | peak requests in one second, busiest shard | mean requests/s, busiest shard |",
    "| --- | --- | --- | --- | --- | --- |",
    ...lines,
    "",
    `| measure | value |`,
    `| --- | --- |`,
    `| shards used (all regions) | ${shardsUsed} |`,
    `| busiest shard, busiest second | ${peakShard} requests (documented soft limit ${OBJECT_LIMIT_RPS}/s) |`,
    `| rooms made / filled | ${rooms.size} / ${full.length} |`,
    `| queue wait, solo players (p50 / p99 / max) | ${ms(quantile(waits.solo, 0.5))} / ${ms(quantile(waits.solo, 0.99))} / ${ms(Math.max(-Infinity, ...waits.solo))} (${waits.solo.length} players) |`,
    `| queue wait, party members (p50 / p99 / max) | ${ms(quantile(waits.party, 0.5))} / ${ms(quantile(waits.party, 0.99))} / ${ms(Math.max(-Infinity, ...waits.party))} (${waits.party.length} players) |`,
    `| still waiting at the end though they arrived over ${skill.maxWaitSeconds + 2} s before it | ${censored} |`,
    `| team imbalance in full rooms (max |red − blue|) | ${Math.max(0, ...imbalance)} |`,
    `| parties split or not on one team; rooms over capacity | ${partyFaults.length} |`,
    `| skill spread in full rooms (p50 / p99 / max rating points) | ${quantile(spreads, 0.5)} / ${quantile(spreads, 0.99)} / ${Math.max(0, ...spreads)} |`,
    `| groups seated past their room's window | ${windowFaults.length} |`,
    `| refused quick plays | ${[...refusals].map(([code, n]) => `${code} ${n}`).join(", ") || "none"} |`,
  ].join("\n");
  console.log(report);

  expect(partyFaults).toEqual([]);
  expect(windowFaults).toEqual([]);
  expect(peakShard).toBeLessThan(OBJECT_LIMIT_RPS);
});
