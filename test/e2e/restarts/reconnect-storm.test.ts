// A session dropped 50 times on a real `wrangler dev`, reconnect() called at random moments: one socket, one seat, each action once.
import { describe, expect, it } from "vitest";
import type { GameSession } from "../../../client/sdk/game-session.ts";
import { joinGame } from "../../../client/sdk/join-game.ts";
import { type Connect, openWebSocket } from "../../../client/sdk/socket.ts";
import { createRandom } from "../../../src/engine/random.ts";
import type { InspectReport } from "../../../src/protocol/inspection.ts";
import { closes } from "../../../src/protocol/close-codes.ts";
import type { BattleshipView } from "../../../src/games/battleship.ts";
import { createRoom, sleep } from "../kit/dev-server.ts";
import { serverSuite } from "../kit/suites.ts";

const DROPS = 50;
// Fifty drops come faster than `minUptimeMs`, which the default policy would rightly take for a broken network and give
// up after `maxAttempts`; this test is about the races, so it allows them all.
const fast = { minDelayMs: 20, maxDelayMs: 300, connectTimeoutMs: 5_000, maxAttempts: 1_000 };

/** A Connect that counts the session's sockets: `most` is the largest number ever open at once. */
function countingConnect(): { connect: Connect; opened: WebSocket[]; most: () => number; open: () => number } {
  const opened: WebSocket[] = [];
  let most = 0;
  const open = () => opened.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  const connect: Connect = async (url, timeoutMs) => {
    const ws = await openWebSocket(url, timeoutMs);
    opened.push(ws);
    most = Math.max(most, open());
    return ws;
  };
  return { connect, opened, most: () => most, open };
}

async function until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The room's own report, from the dev inspector: its record and the sockets per audience, as the room counts them. */
async function report(url: string, roomId: string): Promise<InspectReport> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/rooms/${roomId}/inspect`);
  try {
    return await new Promise<InspectReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no inspector report")), 10_000);
      ws.addEventListener("message", (event) => {
        const frame = JSON.parse(String(event.data)) as { type: string };
        if (frame.type !== "report") return;
        clearTimeout(timer);
        resolve(frame as InspectReport);
      });
      ws.addEventListener("error", () => reject(new Error("inspector socket failed")));
    });
  } finally {
    ws.close(closes.left.code, "done");
  }
}

/** Cells a team fires at: never where the other team placed its fleet (rows 0-4, x 0-4), so the match never ends. */
const targets = Array.from({ length: 100 }, (_, i) => ({ x: i % 10, y: Math.floor(i / 10) })).filter(({ x, y }) => !(y < 5 && x < 5));
const fleet = [0, 1, 2, 3, 4].map((y) => ({ x: 0, y, vertical: false }));

/** Fires whenever the team's held view says it is its turn and nothing is in flight; counts what became of every seq. */
function play(session: GameSession<"battleship">) {
  const outcomes = new Map<number, string[]>();
  const sent: number[] = [];
  session.onError((error) => {
    if (error.seq !== undefined) outcomes.set(error.seq, [...(outcomes.get(error.seq) ?? []), `${error.code}:${error.detail ?? ""}`]);
  });
  const timer = setInterval(() => {
    const view = session.view?.game as BattleshipView | null | undefined;
    if (!view || view.phase !== "firing" || view.turn !== session.team || session.client.pending > 0) return;
    const target = targets[sent.length];
    if (target) sent.push(session.send("fire", target));
  }, 5);
  return { outcomes, sent, stop: () => clearInterval(timer) };
}

describe("a session dropped 50 times on wrangler dev", () => {
  const suite = serverSuite({ INSPECTOR: "on" });

  it("never has two sockets open, keeps its seat, and has every action applied exactly once", async () => {
    const url = suite.server.url;
    const red = countingConnect();
    const rosa = await joinGame("battleship", { via: "create", name: "rosa", server: url, connect: red.connect, policy: fast });
    const roomId = rosa.roomId ?? "";
    const bert = await joinGame("battleship", { via: "room", roomId, name: "bert", server: url, policy: fast });
    const playerId = rosa.playerId;
    for (const session of [rosa, bert]) {
      session.send("place", { ships: fleet });
      session.send("ready", {});
    }
    await until(() => (rosa.view?.game as BattleshipView | null)?.phase === "firing", "both fleets placed");
    const [redPlay, bluePlay] = [play(rosa), play(bert)];

    const when = await storm(rosa, red, createRandom(2026));
    await until(() => rosa.status === "open", "the last reconnect");
    // Let both teams fire a few more turns, then stop and let every action settle.
    await sleep(500);
    redPlay.stop();
    bluePlay.stop();
    await until(() => rosa.client.pending === 0 && bert.client.pending === 0, "every action answered");
    await sleep(300);

    const room = await report(url, roomId);
    const state = room.record.state as { shots: Record<string, Record<string, string>> };
    const enemy = rosa.team === "red" ? "blue" : "red";
    const redShots = Object.keys(state.shots[enemy] ?? {}).length;
    const failed = [...redPlay.outcomes.values()].flat();
    console.log(
      `reconnect storm: ${DROPS} drops, reconnect() during ${JSON.stringify(when)}; ${red.opened.length} sockets opened, ` +
        `most open at once ${red.most()}; red sent ${redPlay.sent.length} fires, errors ${JSON.stringify(failed)}, shots on blue's board ${redShots}`,
    );
    expect(red.most()).toBe(1);
    expect(red.open()).toBe(1);
    // No seat lost: the same player, connected, and the room counts one socket for red's audience.
    expect(rosa.playerId).toBe(playerId);
    expect(room.record.players[playerId ?? ""]?.presence).toBe("connected");
    expect(room.sockets[`team:${rosa.team ?? ""}`]).toBe(1);
    // Exactly once: every fire acknowledged, none refused (a second application would be `already_tried`),
    // and blue's board holds one shot per fire red sent, no more (no turn ran out and was fired for red).
    expect(failed).toEqual([]);
    expect(rosa.client.lastAcked).toBe(rosa.client.lastSeq);
    expect(room.record.seqs[playerId ?? ""]).toBe(rosa.client.lastSeq);
    expect(redShots).toBe(redPlay.sent.length);
    expect(redPlay.sent.length).toBeGreaterThan(10);
    rosa.leave();
    bert.leave();
  });

  it("keeps one socket for a spectator too, which no newer connection would replace", async () => {
    const url = suite.server.url;
    const roomId = await createRoom(url, "arena");
    const counted = countingConnect();
    const ann = await joinGame("arena", { via: "room", roomId, name: "ann", server: url, policy: fast });
    const eve = await joinGame("arena", { via: "spectate", roomId, name: "eve", server: url, connect: counted.connect, policy: fast });
    const when = await storm(eve, counted, createRandom(7));
    await until(() => eve.status === "open" && eve.client.welcomed, "the last reconnect");
    await sleep(500);
    const room = await report(url, roomId);
    console.log(`spectator storm: reconnect() during ${JSON.stringify(when)}; ${counted.opened.length} sockets opened, most open at once ${counted.most()}`);
    expect(counted.most()).toBe(1);
    expect(counted.open()).toBe(1);
    // An orphan socket would still be open on the room's side: it counts exactly one spectator.
    expect(room.sockets.spectator).toBe(1);
    eve.leave();
    ann.leave();
  });
});

/** Drop the session's socket `DROPS` times, calling reconnect() at a random moment after each; returns where those calls landed. */
async function storm(session: GameSession<"battleship"> | GameSession<"arena">, counted: ReturnType<typeof countingConnect>, random: ReturnType<typeof createRandom>) {
  const when: Record<string, number> = {};
  for (let drop = 0; drop < DROPS; drop++) {
    // A drop between the upgrade and the welcome loses a player's seat: the room rotated the reconnect token and
    // the new one was in the welcome (a server-side gap, reported). So the network drops only welcomed sockets here.
    await until(() => session.status === "open" && session.client.welcomed, `reconnect after drop ${drop} (${session.status}, ${JSON.stringify(session.closed)})`);
    await sleep(random.int(150));
    // A network drop, as the page sees it: the socket closes under the session.
    session.client.socket?.close(closes.dropped.code, "test: network drop");
    // Then reconnect() at a random moment: during the backoff, while the attempt is opening, or once open again.
    await sleep(random.int(120));
    const moment = session.status !== "open" ? session.status : session.client.welcomed ? "welcomed" : "opening";
    when[moment] = (when[moment] ?? 0) + 1;
    session.reconnect();
    if (random.next() < 0.3) session.reconnect();
    expect(counted.open()).toBeLessThanOrEqual(1);
  }
  return when;
}
