// The Worker's side of sharded matchmaking: which shard of a game and region to ask, spilling to siblings, and a region's listing.
import type { RoomSummary } from "../../protocol/api.ts";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { isError } from "../http.ts";
import { settings } from "../settings.ts";
import { isSpill, type Placed, type Spill } from "./matchmaker.ts";
import type { Region } from "./regions.ts";
import { shardName, shardStub } from "./shard-names.ts";
import type { Seeker } from "./skill.ts";

const { maxShards, targetShardRps } = settings.matchmaking;

/**
 * Per isolate, how many shards of a game and region quick play spreads over (1 until shards answer with load),
 * and each shard's last reported requests per second. Memory only: an isolate that starts again learns them
 * from the first answers, and a lost width costs a busy shard a few spills, never a wrong seat.
 */
const widths = new Map<string, number>();
const loads = new Map<string, number>();

/**
 * The width the shards' answers suggest: the region's load is the sum of the last load each shard in use
 * reported. It grows at once and shrinks only when half the shards would do, so it does not flap.
 */
function learn(key: string, shard: string, load: number): void {
  loads.set(shard, load);
  const width = widths.get(key) ?? 1;
  let total = 0;
  for (let i = 0; i < width; i++) total += loads.get(`${key}:${i}`) ?? 0;
  const needed = Math.min(maxShards, Math.max(1, Math.ceil(total / targetShardRps)));
  if (needed > width || needed <= width / 2) widths.set(key, needed);
}

/** The shards to ask, in order: one of the `width` in use at random, then its siblings (every shard at most once). */
function shardOrder(game: string, region: Region, random: () => number): { key: string; order: number[] } {
  const key = `${game}:${region}`;
  const width = widths.get(key) ?? 1;
  const first = Math.floor(random() * width);
  return { key, order: Array.from({ length: maxShards }, (_, i) => (first + i) % maxShards) };
}

export interface QuickPlayRequest {
  readonly game: string;
  readonly preset: string;
  readonly region: Region;
  readonly seekers: readonly Seeker[];
  readonly ttlMs: number;
}

/** Seats for a solo player or a whole party from the region's shards: a full or hot shard spills to the next. */
export async function quickPlay(env: Env, request: QuickPlayRequest, random: () => number = Math.random): Promise<(Placed & { shard: string }) | ErrorBody> {
  const { key, order } = shardOrder(request.game, request.region, random);
  let hot = false;
  for (const index of order) {
    const shard = shardName(request.game, request.region, index);
    const answer = await shardStub(env, shard).matchmake({ ...request, shard });
    if (isError(answer)) return answer;
    learn(key, shard, answer.load);
    if (!isSpill(answer)) return { ...answer, shard };
    hot ||= answer.spill === "hot";
  }
  return errorBody(hot ? "matchmaking_busy" : "pool_full");
}

/** A public room in the region (`POST /api/rooms`), on the first shard of the spread with room in its pool. */
export async function openRoom(env: Env, game: string, preset: string, region: Region, random: () => number = Math.random): Promise<{ roomId: string } | ErrorBody> {
  const { order } = shardOrder(game, region, random);
  for (const index of order) {
    const shard = shardName(game, region, index);
    const answer: { roomId: string } | Spill | ErrorBody = await shardStub(env, shard).open(game, preset, shard, region);
    if (!isSpill(answer)) return answer;
  }
  return errorBody("pool_full");
}

/** `<shard index>.<room id>`: where the next page of a region's listing starts (an empty room id: the shard's first room). */
export const LIST_CURSOR = /^(\d{1,2})\.([a-km-np-z2-9]{12})?$/;

/**
 * One page of the region's open rooms: shard by shard, each by room id, so a page costs at most `maxShards`
 * requests and a cursor stays valid however the spread changes.
 */
export async function listRegion(env: Env, game: string, region: Region, cursor: string | undefined, limit: number): Promise<{ rooms: RoomSummary[]; next?: string }> {
  const parsed = LIST_CURSOR.exec(cursor ?? "0.");
  let index = Number(parsed?.[1] ?? 0);
  let after: string | undefined = parsed?.[2] || undefined;
  const rooms: RoomSummary[] = [];
  for (; index < maxShards && rooms.length < limit; index++, after = undefined) {
    const page = await shardStub(env, shardName(game, region, index)).list(after, limit - rooms.length);
    rooms.push(...page.rooms);
    if (page.next !== undefined) return { rooms, next: `${index}.${page.next}` };
  }
  return index < maxShards ? { rooms, next: `${index}.` } : { rooms };
}

/** Every room the region's shards hold, full ones included, up to `limit`: for the dev inspector. */
export async function allInRegion(env: Env, game: string, region: Region, limit: number): Promise<RoomSummary[]> {
  const pages = await Promise.all(Array.from({ length: maxShards }, (_, i) => shardStub(env, shardName(game, region, i)).all(undefined, limit)));
  return pages.flatMap((page) => page.rooms).slice(0, limit);
}
