// How a matchmaker shard is named (`<game>:<region>:<index>`) and reached, with its region's location hint.
import { settings } from "../settings.ts";
import { isRegion, locationHint, type Region } from "./regions.ts";

export const shardName = (game: string, region: Region, index: number): string => `${game}:${region}:${index}`;

/** The region in a shard's name; the default region for anything else (a room stored before shards had none). */
export function regionOfShard(name: string): Region {
  const region = name.split(":").at(-2) ?? "";
  return isRegion(region) ? region : settings.matchmaking.defaultRegion;
}

/** The shard's object, created near its region's players (the hint matters only on first use). */
export function shardStub(env: Env, name: string) {
  const hint = locationHint(regionOfShard(name));
  return env.MATCHMAKER.getByName(name, hint === undefined ? {} : { locationHint: hint });
}
