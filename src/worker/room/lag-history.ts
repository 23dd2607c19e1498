// The room's lag-compensation history: every player's position for the game's last `windowTicks` ticks, in memory only.
//
// Bound: (windowTicks + 1) × players positions per room (tag: 9 × 8). It is not stored: a room that hibernates or is
// evicted wakes with an empty history, so for the first window after it a rule that rewinds (`ctx.past`) gets
// undefined and judges by the present positions only. A realtime room with anyone connected ticks 20 times a
// second and so does not hibernate mid-match; an eviction or a deploy does drop the history (docs/netcode.md).
import { createHistory, type PositionHistory } from "../../engine/rewind.ts";
import type { LiveRoom } from "./state.ts";

// Keyed by the live room object, which a wake builds afresh: so the history lives and dies with that instance.
const histories = new WeakMap<LiveRoom, PositionHistory>();

/** The history of this live room, or undefined when its game does not ask for lag compensation. */
export function lagHistoryOf(room: LiveRoom): PositionHistory | undefined {
  const lag = room.game.lagCompensation;
  if (!lag) return undefined;
  let history = histories.get(room);
  if (!history) histories.set(room, (history = createHistory(lag.windowTicks)));
  return history;
}
