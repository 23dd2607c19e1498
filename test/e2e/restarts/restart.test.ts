// A SIGKILLed `wrangler dev` comes back from its persist folder with every acknowledged action applied.
import { describe, expect, it } from "vitest";
import { socketUrl } from "../../../client/sdk/join.ts";
import { shownPlayer } from "../../../src/games/arena.ts";
import { Bot, createRoom, join, roomInfo, sleep, type DevServer, type RoomInfo, type Seat } from "../kit/dev-server.ts";
import { serverSuite } from "../kit/suites.ts";
import { settings } from "../../../src/worker/settings.ts";

describe("a room on wrangler dev killed with SIGKILL", () => {
  const suite = serverSuite();
  const bots = suite.bots;
  let second: DevServer | undefined;

  it("resumes from storage with every acknowledged action in its state", async () => {
    const server = suite.server.current;
    const roomId = await createRoom(server.url, "arena", "default");
    const players = [await join(server.url, roomId, "ann"), await join(server.url, roomId, "bob")];
    for (const seat of players) bots.push(await Bot.connect(seat));

    // Kill mid-stream: the last inputs are still queued or unsent, so some seqs must go unacked.
    let before: RoomInfo | undefined;
    for (let round = 1; round <= 30; round++) {
      if (round === 20) before = await roomInfo(server.url, roomId);
      bots.forEach((bot, i) => bot.input(((round % 5) - 2) / 2, i === 0 ? 1 : -((round % 3) - 1)));
      if (round === 20) {
        // Same turn as the send: the server cannot have acked this input yet.
        server.kill("SIGKILL");
        break;
      }
      await sleep(30);
    }
    await Promise.all(bots.map((bot) => bot.until(() => bot.closed, 10_000)));
    const acked = bots.map((bot) => bot.maxAcked);
    const heldVersion = Math.max(...bots.map((bot) => bot.version));
    for (const bot of bots) {
      expect(bot.maxAcked, "some inputs were acknowledged before the kill").toBeGreaterThan(0);
      expect(bot.maxAcked, "and some were not").toBeLessThan(bot.lastSeq);
      expect(bot.errors).toEqual([]);
    }
    expect(before?.players.map((p) => p.id).sort()).toEqual(players.map((p) => p.playerId).sort());

    second = await suite.server.restart();
    const after = await roomInfo(second.url, roomId);
    expect(after.players.map(({ id, name, team }) => ({ id, name, team })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      before?.players.map(({ id, name, team }) => ({ id, name, team })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    // Ticks after the last stored batch die with the process (none of them was acknowledged): with an input every
    // tick, that is under flushActionTicks of them. The acks below are the guarantee; this bounds what was lost.
    expect(after.tick).toBeGreaterThanOrEqual((before?.tick ?? Infinity) - settings.flushActionTicks);
    // Their sockets died with the old process: the restarted room holds their seats as away.
    expect(after.players.map((p) => p.presence)).toEqual(["away", "away"]);
    expect(after.version, "no version a client was sent is lost").toBeGreaterThanOrEqual(heldVersion);

    // A new ticket seats a new player, so read the old players through observers; fog of war hides
    // enemies, and team balancing puts the two observers on different teams, so each sees its teammates.
    const observers = [await join(second.url, roomId, "eve"), await join(second.url, roomId, "fay")];
    expect(new Set(observers.map((o) => o.team)).size).toBe(2);
    for (const seat of observers) bots.push(await Bot.connect(seat));
    const watchers = bots.slice(players.length);
    await Promise.all(watchers.map((bot) => { const start = bot.version; return bot.until(() => bot.version >= start + 3); }));
    players.forEach((seat) => {
      const watcher = watchers.find((w) => w.seat.team === seat.team) as Bot;
      expect(watcher.view && shownPlayer(watcher.view, seat.playerId), `${seat.playerId} is in its team's view`).toBeDefined();
    });
    // Every acknowledged input survived: each player comes back on its token and the welcome's lastSeq covers its acks.
    for (const [i, bot] of bots.slice(0, players.length).entries()) {
      const token = bot.client.welcome?.reconnectToken ?? "";
      const back = await Bot.connect({ ...(players[i] as Seat), wsUrl: socketUrl(second.url, roomId, { reconnect: token }) });
      bots.push(back);
      expect(back.client.welcome?.lastSeq, `player ${i} acked up to seq ${acked[i]}`).toBeGreaterThanOrEqual(acked[i] ?? Infinity);
    }
    for (const watcher of watchers) expect(watcher.gaps).toBe(0);
  });

  it("logs no uncaught exception after the restart", () => {
    expect(second, "the server was restarted").toBeDefined();
    const uncaught = (second?.log() ?? "").split("\n").filter((line) => line.includes("Uncaught"));
    expect(uncaught).toEqual([]);
  });
});
