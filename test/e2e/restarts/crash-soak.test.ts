// Crash safety: 20 SIGKILLs of wrangler dev at random moments of a busy game; no acknowledged action is lost.
import { describe, expect, it } from "vitest";
import { RoomClient } from "../../../client/sdk/room-client.ts";
import { createRandom } from "../../../src/engine/random.ts";
import type { arena } from "../../../src/games/arena.ts";
import { createRoom, join, sleep } from "../kit/dev-server.ts";
import { serverSuite } from "../kit/suites.ts";

const KILLS = 20;

/** A player that numbers its own inputs and, after every reconnect, resends those not yet acknowledged. */
class Player {
  client: RoomClient<typeof arena>;
  token = "";
  seq = 0;
  readonly unacked = new Map<number, { dx: number; dy: number }>();
  maxAcked = 0;
  /** Set once the connection's first view update (snapshot or missed patches) has been applied. */
  synced = false;

  constructor(url: string) {
    this.client = this.#connect(url);
  }

  #connect(url: string, resume?: { view: unknown; version: number }): RoomClient<typeof arena> {
    this.synced = false;
    const client = new RoomClient<typeof arena>(url, {
      ...(resume ? { resume } : {}),
      onChange: () => {
        if (client.welcome) this.synced = true;
      },
      onMessage: (message) => {
        // A realtime room acknowledges in its updates (every seq up to `ack`); an ack message answers a resent duplicate.
        if (message.type === "ack") this.#acked([message.seq], message.seq);
        if ((message.type === "patch" || message.type === "snapshot") && message.ack !== undefined) {
          const upTo = message.ack;
          this.#acked([...this.unacked.keys()].filter((seq) => seq <= upTo), upTo);
        }
        if (message.type === "welcome") this.token = message.reconnectToken ?? "";
      },
    });
    return client;
  }

  #acked(seqs: readonly number[], seq: number): void {
    for (const done of seqs) this.unacked.delete(done);
    this.maxAcked = Math.max(this.maxAcked, seq);
  }

  input(dx: number, dy: number): void {
    if (this.client.socket?.readyState !== WebSocket.OPEN) return;
    this.seq += 1;
    this.unacked.set(this.seq, { dx, dy });
    this.#send(this.seq, { dx, dy });
  }

  reconnect(base: string, roomId: string): void {
    const url = `${base.replace(/^http/, "ws")}/rooms/${roomId}/ws?reconnect=${this.token}&version=${this.client.version}`;
    const held = this.client.view === undefined ? undefined : { view: this.client.view, version: this.client.version };
    this.client = this.#connect(url, held);
  }

  resend(): void {
    for (const [seq, payload] of [...this.unacked].sort(([a], [b]) => a - b)) this.#send(seq, payload);
  }

  #send(seq: number, payload: { dx: number; dy: number }): void {
    this.client.socket?.send(JSON.stringify({ type: "action", seq, action: "input", payload }));
  }
}

async function until(done: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await sleep(10);
  }
  return Date.now() - start;
}

describe(`${KILLS} hard kills of a busy room`, () => {
  const suite = serverSuite();

  it("lose no acknowledged action, and every client is resynced within 5 s of the server being ready", async () => {
    const server = suite.server;
    const roomId = await createRoom(server.url, "arena");
    const players: Player[] = [];
    for (const name of ["ann", "bob", "cat"]) players.push(new Player((await join(server.url, roomId, name)).wsUrl));
    await until(() => players.every((p) => p.client.view !== undefined), 10_000);
    const random = createRandom(20);
    const resyncMs: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const busyFor = 200 + random.int(800);
      const started = Date.now();
      while (Date.now() - started < busyFor) {
        for (const p of players) p.input(random.between(-1, 1), random.between(-1, 1));
        await sleep(30);
      }
      // Mid-stream: more inputs leave without waiting, then the whole process group dies.
      for (const p of players) p.input(random.between(-1, 1), random.between(-1, 1));
      server.current.kill("SIGKILL");
      const acked = players.map((p) => p.maxAcked);
      await server.restart();
      const ready = Date.now();
      for (const p of players) p.reconnect(server.url, roomId);
      await until(() => players.every((p) => p.client.welcome !== undefined), 10_000);
      players.forEach((p, i) => expect(p.client.welcome?.lastSeq, `player ${i} after kill ${kill}`).toBeGreaterThanOrEqual(acked[i] ?? 0));
      await until(() => players.every((p) => p.synced), 10_000);
      resyncMs.push(Date.now() - ready);
      for (const p of players) p.resend();
    }
    // Everything sent was eventually applied exactly once: every input acknowledged, none refused.
    await until(() => players.every((p) => p.unacked.size === 0), 10_000);
    expect(Math.max(...resyncMs)).toBeLessThan(5000);
    expect(server.current.log()).not.toContain("Uncaught");
    console.log(`resynced after each restart within ${Math.max(...resyncMs)} ms (median ${resyncMs.sort((a, b) => a - b)[KILLS >> 1]} ms); inputs sent: ${players.map((p) => p.seq).join(", ")}`);
    for (const p of players) p.client.close();
  }, 600_000);
});
