// Clock sync: the server's tick timeline on the local clock, from when updates arrive and the heartbeat's round trip.

/** How updates have been arriving, for `stats` and the adaptive interpolation delay. */
export interface ClockStats {
  /** Local time (ms) at which the least delayed update of tick 0 arrived: the timeline's anchor. */
  readonly base: number;
  readonly periodMs: number;
  /** How late the recent updates were behind that timeline, 90th percentile (ms): the jitter to cover. */
  readonly jitterMs: number;
  /** The heartbeat's round trip: the least of the last 8 (ms), so a delayed heartbeat does not move the timeline. */
  readonly rttMs: number;
}

export interface TickClock {
  /**
   * An update arrived at local time `at`, holding version `version`: returns the tick it is placed at. Versions
   * grow by one per tick and one per applied batch, so they bound how many ticks can lie between two updates.
   */
  observe(at: number, version: number): number;
  /** A heartbeat's round trip (ms). */
  roundTrip(ms: number): void;
  /** The (fractional) tick whose update arrives, least delayed, at local time `at`. */
  tickAt(at: number): number;
  /** Local time at which tick `tick`'s update arrives, least delayed. */
  timeOf(tick: number): number;
  readonly stats: ClockStats;
}

/** Updates whose arrival anchors the timeline and measures the jitter: 2 s at 20 Hz. */
const WINDOW = 40;
/**
 * How far (ms) the anchor may move per update toward the least delayed arrival: 40 ms a second at 20 Hz. A jump
 * (a delay spike ageing out of the window, a tick counted twice in a burst) would otherwise shift every drawn
 * position at once by up to a tick's movement.
 */
const SLEW_MS = 2;
/** Heartbeats (one every 2 s) the round trip is the least of. */
const RTT_SAMPLES = 8;

export function createTickClock(periodMs: number): TickClock {
  // The tick each recent update was placed at and how late it came, for the anchor (least delayed) and jitter.
  const recent: { tick: number; at: number }[] = [];
  let last: { tick: number; version: number; at: number } | undefined;
  let base = 0;
  const trips: number[] = [];
  let jitter = 0;

  return {
    observe(at, version) {
      let tick = 0;
      if (last) {
        // Ticks since the previous update, by the time between their arrivals: at least one, and at most as many as
        // versions went by (a burst that a delayed frame held back is not a leap forward). Measured from the previous
        // arrival, not the anchor, so one late update cannot make every later one look late.
        const gap = Math.round((at - last.at) / periodMs);
        tick = last.tick + Math.min(Math.max(1, gap), Math.max(1, version - last.version));
      }
      last = { tick, version, at };
      recent.push({ tick, at });
      if (recent.length > WINDOW) recent.shift();
      // The least delayed update of the window anchors the timeline (the others were late by their difference),
      // reached a little at a time.
      const target = Math.min(...recent.map((r) => r.at - r.tick * periodMs));
      base = recent.length === 1 ? target : base + Math.min(SLEW_MS, Math.max(-SLEW_MS, target - base));
      // Measured from the anchor as it is, so the delay also covers the part of a move the anchor has not made yet.
      const late = recent.map((r) => r.at - (base + r.tick * periodMs)).sort((a, b) => a - b);
      jitter = Math.max(0, late[Math.floor(late.length * 0.9)] ?? 0);
      return tick;
    },
    roundTrip(ms) {
      trips.push(ms);
      if (trips.length > RTT_SAMPLES) trips.shift();
    },
    tickAt: (at) => (at - base) / periodMs,
    timeOf: (tick) => base + tick * periodMs,
    get stats() {
      return { base, periodMs, jitterMs: jitter, rttMs: trips.length > 0 ? Math.min(...trips) : 0 };
    },
  };
}
