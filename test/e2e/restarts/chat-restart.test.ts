// Kept chat on a real `wrangler dev` killed with SIGKILL: after the restart every line is there, and each newcomer gets only its audience's.
import { describe, expect, it } from "vitest";
import { Bot, createRoom, join, spectate } from "../kit/dev-server.ts";
import { serverSuite } from "../kit/suites.ts";

describe("chat in a room on wrangler dev killed with SIGKILL", () => {
  const suite = serverSuite();
  const bots = suite.bots;

  const texts = (bot: Bot) => bot.client.chat.lines.map((line) => line.text);

  it("keeps every line sent before the kill and sends each newcomer only what its audience may read", async () => {
    const server = suite.server.current;
    const roomId = await createRoom(server.url, "arena", "squad");
    const [ann, bob] = [await Bot.connect(await join(server.url, roomId, "ann")), await Bot.connect(await join(server.url, roomId, "bob"))];
    bots.push(ann, bob);
    expect(ann.seat.team).not.toBe(bob.seat.team);
    ann.client.chat.send("all", "before the crash");
    ann.client.chat.send("team", `${ann.seat.team} only`);
    bob.client.chat.send("team", `${bob.seat.team} only`);
    bob.client.chat.send("whisper", "just for ann", ann.seat.playerId);
    // A line is sent back to its sender once it is stored.
    await ann.until(() => texts(ann).length === 3);
    await bob.until(() => texts(bob).length === 3);
    server.kill("SIGKILL");
    await Promise.all([ann, bob].map((bot) => bot.until(() => bot.closed, 10_000)));

    const second = await suite.server.restart();
    const cat = await Bot.connect(await join(second.url, roomId, "cat"));
    const dan = await Bot.connect(await join(second.url, roomId, "dan"));
    const eve = await Bot.connect(await spectate(second.url, roomId, "eve"));
    bots.push(cat, dan, eve);
    for (const bot of [cat, dan, eve]) await bot.until(() => bot.client.chat.settings !== undefined);
    const byTeam = new Map([[cat.seat.team, cat], [dan.seat.team, dan]]);
    console.log(`after the restart: ${JSON.stringify({ cat: texts(cat), dan: texts(dan), eve: texts(eve) })}`);
    expect(texts(byTeam.get(ann.seat.team) as Bot)).toEqual(["before the crash", `${ann.seat.team} only`]);
    expect(texts(byTeam.get(bob.seat.team) as Bot)).toEqual(["before the crash", `${bob.seat.team} only`]);
    expect(texts(eve)).toEqual(["before the crash"]);
    // The lines go on from the kept ones.
    cat.client.chat.send("all", "after the restart");
    await eve.until(() => texts(eve).length === 2);
    expect(eve.client.chat.lines.map((line) => line.id)).toEqual([1, 5]);
  });
});
