// Where tests reach into a room: symbol-keyed members, which no RPC caller can name (RPC methods are called by string name).

/** The room's game clock (ticks, held seats, reservations, lifecycle timers); tests set it to drive time without sleeping. */
export const CLOCK: unique symbol = Symbol("game-room clock");
/** The room's flood limits; tests that send far faster than their virtual clock moves lift them. */
export const FLOOD_LIMITS: unique symbol = Symbol("game-room flood limits");
/** Whether the room's ticks come from its in-memory timer (the default); tests that drive a virtual clock turn it off, so only the alarms they fire tick. */
export const TICK_TIMER: unique symbol = Symbol("game-room tick timer");
