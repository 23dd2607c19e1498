// The figures one run of one configuration produces (shared/bench/arena.md, plus the room's cost meter).
import type { Handshake } from "../clients/relay.ts";

export interface Percentiles {
  readonly p50: number | null;
  readonly p95?: number | null;
  readonly p99: number | null;
  readonly samples: number;
}

/** Counter deltas of the measure window, per room-hour (summed over the rooms, then divided by them). */
export interface PerRoomHour {
  readonly alarms: number;
  readonly rowsWritten: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
}

export interface Figures {
  /** "16x1@workerd": the configuration and the host it ran on. */
  readonly config: string;
  /** `wrangler` (npm run dev), `workerd` (the built Worker on bare workerd) or `control` (the do-nothing object on bare workerd). */
  readonly host: string;
  readonly players: number;
  readonly rooms: number;
  readonly preset: string;
  readonly bots: "sdk" | "lean";
  /** Length of the measure window, wall seconds. */
  readonly seconds: number;
  /** WebSocket payload (UTF-8 text) received per client per second. */
  readonly downBytesPerClientSec: number;
  /** TCP bytes from the server per client per second, through the relay: frames after permessage-deflate. */
  readonly wireDownBytesPerClientSec: number;
  readonly upBytesPerClientSec: number;
  readonly wireUpBytesPerClientSec: number;
  readonly messagesDownPerClientSec: number;
  /** Sec-WebSocket-Extensions offered by the bots and answered by the server (first handshake; all agreed when `deflateAllSockets`). */
  readonly deflate: Handshake & { readonly allSockets: boolean };
  /** Input sent → the client holds a state that reflects it (the update's `applied ?? ack`): the scenario's ack latency. */
  readonly ackLatencyMs: Percentiles;
  /** Input sent → the room reports it stored (the update's `ack`), which survives a crash. */
  readonly storedAckLatencyMs: Percentiles;
  readonly tickIntervalMs: Percentiles;
  /** CPU seconds per wall second of every process in the dev server's process group. */
  readonly serverCpuPerSec: number;
  /** Server CPU per tick run, summed over rooms. */
  readonly serverCpuMsPerTick: number;
  /** Summed over the group's processes (shared pages count once per process). */
  readonly serverRssMb: number;
  /** The same two figures by process name (workerd, node, esbuild): where the server's time and memory go. */
  readonly serverCpuByProcess: Readonly<Record<string, number>>;
  readonly serverRssMbByProcess: Readonly<Record<string, number>>;
  /**
   * Ticks that missed their own slot: ticks an alarm ran to catch up (ticks − alarms) plus ticks
   * dropped (more than one period short of the 20 Hz timeline), summed over rooms. The room does not
   * time its ticks, so an overrun is counted by its effect: the next tick comes late.
   */
  readonly tickOverruns: number;
  readonly ticksPerRoomSec: number;
  readonly perRoomHour: PerRoomHour;
  readonly rowsWrittenPerTick: number | null;
  /** Patches that did not apply (each one a resync) and errors the bots received: both should be 0. */
  readonly resyncs: number;
  readonly errors: number;
  /** CPU seconds per wall second of the bench process itself (bots and relay) — they share the machine. */
  readonly benchCpuPerSec: number;
  /** 1-minute load average at the start and end of the window. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}
