// The client-side prediction contract: what a game file provides and the SDK runs (types only; both sides import it).

/** A place in a game's world. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Client-side prediction, opt-in: the pure rule the SDK runs on the player's own view between authoritative
 * updates (docs/netcode.md). It lives in a module of its own with no runtime import (no zod, no Immer), which the
 * game's tick uses too, so the browser runs the server's rule and no rule is written twice.
 */
export interface Prediction<View, Input> {
  /** The action whose payloads steer the player (arena's and tag's `input`). */
  readonly action: string;
  /** The input in effect before the player sent any. */
  readonly rest: Input;
  /** The player's position in an authoritative view; undefined when the view does not hold them. */
  locate(view: View, player: string): Point | undefined;
  /** Where the player is `dt` seconds after `from` under `input`: one tick of the game's own movement rule. */
  move(from: Point, input: Input, dt: number, view: View): Point;
  /** Side of the square world the view's positions lie in, for a client that draws them (the generic page's field). */
  world(view: View): number;
  /**
   * The input for a steering direction (each in [-1, 1]) from a client that knows nothing else of the game (the
   * generic page's keys); `lagTicks` is how far behind the present its screen shows the others (`viewLagTicks()`).
   */
  steer?(direction: { readonly dx: number; readonly dy: number }, lagTicks: number): Input;
}
