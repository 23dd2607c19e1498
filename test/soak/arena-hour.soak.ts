// Soak: a 16-player arena for 72,000 ticks (an hour at 20 Hz) with players joining, leaving and dropping; storage stays flat.
import { inject, describe, expect, it } from "vitest";
import { createRandom } from "../../src/engine/random.ts";
import { settings } from "../../src/worker/settings.ts";
import { LeanSocket, SoakRoom, wallCap } from "./driver.ts";
import type { Sample, ScenarioResult } from "./results.ts";

const SEATS = 16;
/** Per simulated second and connected player: a clean leave about every 10 minutes, a drop about every 5. */
const LEAVE_PER_SECOND = 1 / 600;
const DROP_PER_SECOND = 1 / 300;
/** Share of dropped players who come back (after 2–20 s, inside the 30 s grace); the rest let the seat lapse. */
const RETURNS = 0.8;
/** Per simulated second and free seat: a newcomer takes it in about 10 s. */
const JOIN_PER_SECOND = 1 / 10;
const SAMPLE_EVERY_TICKS = 600;

interface Player {
  socket: LeanSocket;
  /** While dropped: when the client comes back (null: never). */
  returnsAt?: number | null;
  dx: number;
  dy: number;
}

describe("a 16-player arena for an hour of churn", () => {
  it("holds flat storage and a flat record once the replay log reached its bound", async ({ task }) => {
    const ticks = inject("soakTicks");
    const cap = wallCap(inject("soakCapMinutes"));
    const random = createRandom(2026);
    const soak = await SoakRoom.create("arena");
    const tickHz = soak.room.game.tickHz;
    const players = new Map<number, Player>();
    const churn = { joins: 0, leaves: 0, drops: 0, reconnects: 0, lapsed: 0, refused: 0 };
    let names = 0;
    const join = async () => {
      try {
        players.set(names, { socket: await soak.join(`p${names}`), dx: 0, dy: 0 });
        churn.joins += 1;
      } catch (error) {
        // A seat still held for a dropped player, or a reservation in flight: the room is full for now.
        if (!String(error).includes("room_full")) throw error;
        churn.refused += 1;
      }
      names += 1;
    };
    for (let i = 0; i < SEATS; i++) await join();
    const samples: Sample[] = [await soak.sample()];

    for (let tick = 1; tick <= ticks; tick++) {
      if (tick % tickHz === 0) {
        // Once a simulated second: who leaves, drops, comes back, arrives; everyone steers anew.
        const second = soak.second;
        for (const [id, player] of players) {
          if (player.returnsAt !== undefined) {
            if (player.returnsAt !== null && player.returnsAt <= second) {
              const socket = await soak.reconnect(player.socket);
              players.set(id, { ...player, socket, returnsAt: undefined });
              churn.reconnects += 1;
            } else if (player.returnsAt === null && second > player.socket.droppedAt + settings.reconnectGraceSeconds + 1) {
              players.delete(id);
              churn.lapsed += 1;
            }
            continue;
          }
          if (player.socket.closed !== undefined) throw new Error(`p${id}'s socket was closed by the room (${player.socket.closed}) at second ${second}`);
          const roll = random.next();
          if (roll < LEAVE_PER_SECOND) {
            player.socket.leave();
            players.delete(id);
            churn.leaves += 1;
          } else if (roll < LEAVE_PER_SECOND + DROP_PER_SECOND) {
            player.socket.drop(second);
            player.returnsAt = random.next() < RETURNS ? second + random.between(2, 20) : null;
            churn.drops += 1;
          } else {
            player.dx = random.between(-1, 1);
            player.dy = random.between(-1, 1);
          }
        }
        for (let free = SEATS - players.size; free > 0; free--) if (random.next() < JOIN_PER_SECOND) await join();
        // Keep the room's inbox in step with the clock: what was sent this second is handled this second.
        await soak.settle();
      }
      for (const player of players.values()) if (player.returnsAt === undefined) player.socket.input(player.dx, player.dy);
      await soak.tick();
      if (tick % SAMPLE_EVERY_TICKS === 0) {
        const sample = await soak.sample();
        samples.push(sample);
        if (tick % (SAMPLE_EVERY_TICKS * 10) === 0) {
          console.log(`soak: tick ${tick}/${ticks} after ${cap.elapsed().toFixed(0)} s: ${sample.seated} seated, ${sample.storedRows} rows, ${sample.storedBytes} B stored, record ${sample.recordBytes} B`);
        }
        cap.check(`at tick ${tick}`);
      }
    }

    const last = samples.at(-1) as Sample;
    const result: ScenarioResult = {
      name: "churn",
      description: "16-player arena, every connected player steering every tick; leaves, drops with reconnects and lapses, newcomers",
      simulatedSeconds: ticks / tickHz,
      wallSeconds: cap.elapsed(),
      ticks: last.tick,
      alarms: last.alarms,
      rowsWritten: last.rowsWritten,
      messagesIn: last.messagesIn,
      heartbeats: 0,
      replayLogBound: settings.maxReplaySteps,
      tickedAllHour: true,
      churn,
      samples,
    };
    (task.meta as { soak?: ScenarioResult }).soak = result;

    expect(last.tick).toBe(ticks);
    expect(churn.leaves + churn.drops + churn.joins, "players really came and went").toBeGreaterThan(ticks / tickHz / 30);
    // The replay log fills within its first maxReplaySteps steps (a tick each, plus seat changes); from then on
    // nothing grows: every later sample stays inside the band the first one after the bound set.
    const bound = samples.filter((s) => s.tick >= settings.maxReplaySteps + SAMPLE_EVERY_TICKS);
    if (bound.length < 2) return;
    const [first] = bound as [Sample];
    // Rows: the log's rows, meta and record, plus a reconnect token per seat and recent ticket ids, which churn moves.
    const half = bound.slice(0, Math.ceil(bound.length / 2));
    const recordBand = 1.2 * Math.max(...half.map((s) => s.recordBytes));
    for (const s of bound) {
      expect(s.storedRows, `rows at tick ${s.tick}`).toBeLessThanOrEqual(first.storedRows + 2 * SEATS);
      expect(s.storedBytes, `bytes at tick ${s.tick}`).toBeLessThanOrEqual(first.storedBytes * 1.1);
      expect(s.recordBytes, `record at tick ${s.tick}`).toBeLessThanOrEqual(recordBand);
    }
  });
});
