// Prediction and reconciliation against a model room that runs the arena's own rule: acks in order, out of order, and lost.
import { describe, expect, it } from "vitest";
import { createTickClock } from "../../client/sdk/netcode/clock.ts";
import { createPredictor } from "../../client/sdk/netcode/predict.ts";
import { arenaPrediction } from "../../src/games/arena-predict.ts";
import type { ArenaView } from "../../src/games/arena.ts";
import { moveBy, type Direction } from "../../src/games/motion.ts";

const PERIOD = 50;
const RTT = 100;
const field = { world: 1000, speed: 200 };
const viewAt = (x: number, y: number): ArenaView => ({
  ...field,
  fogRadius: null,
  players: [{ id: "me", team: "red", score: 0 }],
  at: [[x, y]],
  orbs: {},
  scores: {},
  ping: null,
  obstacles: {},
});

/**
 * A room that applies each input at the first tick whose update can hold it (it arrives half a round trip
 * after it was sent) and sends update k at 50k ms, which is also when the client gets it (least delayed).
 */
function modelRoom(inputs: readonly { seq: number; input: Direction; at: number }[]) {
  const states: { x: number; y: number; ack: number }[] = [{ x: 500, y: 500, ack: 0 }];
  for (let k = 1; k <= 60; k++) {
    const applied = inputs.filter((i) => Math.ceil((i.at + RTT) / PERIOD) <= k).at(-1);
    const prev = states[k - 1]!;
    const next = moveBy(prev, applied?.input ?? { dx: 0, dy: 0 }, PERIOD / 1000, field);
    states.push({ ...next, ack: applied?.seq ?? 0 });
  }
  return states;
}

function setup() {
  const clock = createTickClock(PERIOD);
  clock.roundTrip(RTT);
  const predictor = createPredictor(arenaPrediction, "me", clock, { snapUnits: 32, smoothMs: 100 });
  return { clock, predictor };
}

// Right, then left, then stop: 1 at 10 ms, 2 at 310 ms, 3 at 610 ms.
const inputs = [
  { seq: 1, input: { dx: 1, dy: 0 }, at: 10 },
  { seq: 2, input: { dx: -1, dy: 0 }, at: 310 },
  { seq: 3, input: { dx: 0, dy: 0 }, at: 610 },
];

/** Deliver update k of the model (placed by the clock from its arrival), with `ack` (the update's own). */
function deliver(room: ReturnType<typeof modelRoom>, { clock, predictor }: ReturnType<typeof setup>, k: number, ack: number) {
  const state = room[k]!;
  const tick = clock.observe(k * PERIOD, k);
  return predictor.authoritative(viewAt(state.x, state.y), tick, ack, k * PERIOD);
}

describe("prediction", () => {
  it("moves your own player on the very next frame after an input, a round trip before the room does", () => {
    const { clock, predictor } = setup();
    clock.observe(0, 0);
    predictor.authoritative(viewAt(500, 500), 0, 0, 0);
    expect(predictor.position(5)).toEqual({ x: 500, y: 500 });
    predictor.sent(1, { dx: 1, dy: 0 }, 10);
    const next = predictor.position(26);
    expect(next?.x).toBeGreaterThan(500);
    expect(next?.y).toBe(500);
  });

  it("reconciles to zero error when the room does what was predicted, dropping the inputs each ack covers", () => {
    const room = modelRoom(inputs);
    const client = setup();
    const errors: number[] = [];
    for (let k = 0; k <= 30; k++) {
      for (const i of inputs) if (i.at > (k - 1) * PERIOD && i.at <= k * PERIOD) client.predictor.sent(i.seq, i.input, i.at);
      const correction = deliver(room, client, k, room[k]!.ack);
      errors.push(correction?.error ?? 0);
    }
    expect(Math.max(...errors)).toBeLessThan(0.05);
    expect(client.predictor.pending).toBe(0);
    // Where the room ended: 300 ms right, 300 ms left, then still.
    expect(client.predictor.position(30 * PERIOD)).toEqual({ x: room[30]!.x, y: 500 });
  });

  it("ignores an ack older than one already seen (out of order) and survives acks that never came (dropped)", () => {
    const room = modelRoom(inputs);
    const client = setup();
    const errors: number[] = [];
    for (let k = 0; k <= 30; k++) {
      for (const i of inputs) if (i.at > (k - 1) * PERIOD && i.at <= k * PERIOD) client.predictor.sent(i.seq, i.input, i.at);
      // Updates 9 to 14 are lost (the clock places 15 from its arrival); from 16 on every other update carries a stale ack.
      if (k >= 9 && k <= 14) continue;
      const ack = k >= 16 && k % 2 === 0 ? Math.max(0, room[k]!.ack - 1) : room[k]!.ack;
      errors.push(deliver(room, client, k, ack)?.error ?? 0);
    }
    expect(Math.max(...errors)).toBeLessThan(0.05);
    expect(client.predictor.pending).toBe(0);
  });

  it("replays an input whose ack is late rather than dropping it, so a lagging ack costs no error", () => {
    const room = modelRoom(inputs);
    const client = setup();
    const errors: number[] = [];
    for (let k = 0; k <= 30; k++) {
      for (const i of inputs) if (i.at > (k - 1) * PERIOD && i.at <= k * PERIOD) client.predictor.sent(i.seq, i.input, i.at);
      // The ack arrives a whole update behind the view it belongs to.
      errors.push(deliver(room, client, k, room[Math.max(0, k - 1)]!.ack)?.error ?? 0);
    }
    expect(Math.max(...errors)).toBeLessThan(0.05);
  });

  it("smooths a small correction over a few frames and snaps a large one", () => {
    const { clock, predictor } = setup();
    clock.observe(0, 0);
    predictor.authoritative(viewAt(500, 500), 0, 0, 0);
    clock.observe(50, 1);
    // The room says 10 units off: drawn where it was, then faded away.
    expect(predictor.authoritative(viewAt(510, 500), 1, 0, 50)).toEqual({ error: 10, snapped: false });
    expect(predictor.position(50)?.x).toBeCloseTo(500, 5);
    expect(predictor.position(150)?.x).toBeCloseTo(510 - 10 * Math.exp(-1), 5);
    expect(predictor.position(1050)?.x).toBeCloseTo(510, 3);
    clock.observe(100, 2);
    expect(predictor.authoritative(viewAt(600, 500), 2, 0, 1100)).toEqual({ error: 90, snapped: true });
    expect(predictor.position(1100)).toEqual({ x: 600, y: 500 });
  });
});
