// Moving on a square field at a fixed speed: the one rule arena's and tag's ticks run, and the browser's prediction runs too.
// No runtime import (no zod, no Immer), so the client bundle can take it as it is.
import type { Point } from "../engine/define-game.ts";

/** A steering input: each in [-1, 1]. */
export interface Direction {
  readonly dx: number;
  readonly dy: number;
}

/** What moving needs to know of a game's config. */
export interface Field {
  /** Side of the square world. */
  readonly world: number;
  /** Units per second at full input. */
  readonly speed: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const clamp = (n: number, max: number): number => Math.min(max, Math.max(0, n));

/** Where `from` is after `dt` seconds in direction `d`, kept on the field and rounded to hundredths as the state stores it. */
export const moveBy = (from: Point, d: Direction, dt: number, field: Field): Point => ({
  x: round2(clamp(from.x + d.dx * field.speed * dt, field.world)),
  y: round2(clamp(from.y + d.dy * field.speed * dt, field.world)),
});
