// What a soak scenario hands to the reporter (through the test's meta): samples of the room's stats and its totals.

/** One look at `GET /api/rooms/:id` at a simulated time. */
export interface Sample {
  /** Simulated seconds since the scenario began. */
  readonly second: number;
  readonly tick: number;
  readonly seated: number;
  readonly phase: string;
  readonly storedRows: number;
  readonly storedBytes: number;
  readonly recordBytes: number;
  readonly rowsWritten: number;
  readonly alarms: number;
  readonly messagesIn: number;
}

/** A scenario's counts over its simulated window, and what an hour of it costs at list prices. */
export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  /** Simulated seconds the scenario ran; counts are scaled from it to an hour when it is shorter. */
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  readonly ticks: number;
  readonly alarms: number;
  readonly rowsWritten: number;
  /** Incoming WebSocket messages that reached the room (heartbeats answered by the runtime are not among them). */
  readonly messagesIn: number;
  /** Heartbeats the clients sent, which the runtime answered without the room. */
  readonly heartbeats: number;
  /** `settings.maxReplaySteps`: steps the replay log holds before it stops growing. */
  readonly replayLogBound: number;
  /** Whether the room ticked all hour (then it is billed duration for all of it). */
  readonly tickedAllHour: boolean;
  readonly churn?: { readonly joins: number; readonly leaves: number; readonly drops: number; readonly reconnects: number; readonly lapsed: number; readonly refused: number };
  readonly samples: readonly Sample[];
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Ticks each ticking scenario runs (72,000: an hour at 20 Hz); SOAK_TICKS overrides it for a quick look. */
    soakTicks: number;
    /** Wall-clock minutes after which a scenario stops and fails; SOAK_CAP_MINUTES overrides it. */
    soakCapMinutes: number;
  }
}
