// Skill windows: a group's rating range, and how far apart a room's ratings may be at a given age.
import { settings, type SkillWindow } from "../settings.ts";

/** The lowest and highest rating among some players. */
export interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** Whoever asks for a seat: identity's user (with its rating, when it has one) or a guest. */
export interface Seeker {
  readonly userId: string;
  readonly name: string;
  readonly rating?: number | undefined;
}

export const ratingOf = (seeker: Seeker): number => seeker.rating ?? settings.matchmaking.guestRating;

export function rangeOf(seekers: readonly Seeker[]): Range {
  const ratings = seekers.map(ratingOf);
  return { lo: Math.min(...ratings), hi: Math.max(...ratings) };
}

/** The game's skill window, if its quick play matches by rating. */
export const skillWindowOf = (game: string): SkillWindow | undefined =>
  Object.hasOwn(settings.matchmaking.skill, game) ? settings.matchmaking.skill[game] : undefined;

/** The widest rating spread a room `ageMs` old may hold: it widens with age, and is unbounded after the maximum wait. */
export const windowAt = (skill: SkillWindow, ageMs: number): number =>
  ageMs >= 1000 * skill.maxWaitSeconds ? Number.POSITIVE_INFINITY : skill.window + (skill.widenPerSecond * ageMs) / 1000;
