// Room chat: every line reaches exactly the sockets its channel allows, is kept through eviction and restarts, and bad lines change nothing.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../../src/engine/random.ts";
import { CHAT_HISTORY, CHAT_MAX_LENGTH } from "../../../src/protocol/limits.ts";
import type { ChatChannel, ChatLine, ServerMessage } from "../../../src/protocol/messages.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import { TestRoom, type Joined } from "../../kit/room.ts";
import { isType, TestSocket } from "../../kit/socket.ts";

type Reader = { readonly role: "player"; readonly id: string; readonly team: string } | { readonly role: "spectator" };

/** Who may read a line under the default settings: spectators `all` only, players their team's lines and their own whispers. */
const mayRead = (line: ChatLine, reader: Reader): boolean => {
  if (line.channel === "all") return true;
  if (reader.role === "spectator") return false;
  return line.channel === "team" ? line.team === reader.team : line.from === reader.id || line.to === reader.id;
};

/** Every chat line a socket received, live or in a history, by id. */
const linesOf = (socket: TestSocket): Map<number, ChatLine> => {
  const lines = new Map<number, ChatLine>();
  for (const m of socket.messages) {
    if (m.type === "chat") lines.set(m.line.id, m.line);
    if (m.type === "chat-history") for (const line of m.lines) lines.set(line.id, line);
  }
  return lines;
};

const errorsOf = (socket: TestSocket, from = 0): ErrorBody[] => socket.messages.slice(from).filter((m): m is ErrorBody => m.type === "error");

const chat = (socket: TestSocket, channel: string, text: string, to?: string): void =>
  socket.send(JSON.stringify({ type: "chat", channel, text, ...(to === undefined ? {} : { to }) }));

const words = ["gg", "left flank", "on my way", "orb at the top", "nice shot", "wait for me", "¿dónde estás?", "ready", "héllo 👋", "regroup"];

/** Chat on a random channel from a random socket: players pick all/team/whisper (to another player, now and then a bad recipient); spectators try too. */
const pick = <T>(random: Random, items: readonly T[]): T => items[random.int(items.length)] as T;
const channels = ["all", "team", "whisper"] as const;

function randomChat(random: Random, players: readonly Joined[], watcher: Joined): void {
  const sender = random.int(players.length + 1);
  const text = `${pick(random, words)} #${random.int(1000)}`;
  if (sender === players.length) return chat(watcher.socket, pick(random, channels), text);
  const me = players[sender] as Joined;
  const channel: ChatChannel = pick(random, channels);
  if (channel !== "whisper") return chat(me.socket, channel, text);
  const others = players.filter((p) => p !== me);
  const to = random.next() < 0.1 ? watcher.playerId : pick(random, others).playerId;
  chat(me.socket, "whisper", text, to);
}

/** Checks every socket's stream: what leaked (lines it may not read) and what is missing (lines it may read but never got). */
function audit(sockets: readonly { socket: TestSocket; reader: Reader }[]) {
  const accepted = new Map<number, ChatLine>();
  for (const { socket } of sockets) for (const line of linesOf(socket).values()) accepted.set(line.id, line);
  const leaked: Record<ChatChannel, number> = { all: 0, team: 0, whisper: 0 };
  let missing = 0;
  let whisperReaders = 0;
  for (const { socket, reader } of sockets) {
    const got = linesOf(socket);
    for (const line of got.values()) if (!mayRead(line, reader)) leaked[line.channel] += 1;
    for (const line of accepted.values()) if (mayRead(line, reader) && !got.has(line.id)) missing += 1;
    whisperReaders += [...got.values()].filter((line) => line.channel === "whisper").length;
  }
  const count = (channel: ChatChannel) => [...accepted.values()].filter((line) => line.channel === channel).length;
  return { leaked, missing, lines: { all: count("all"), team: count("team"), whisper: count("whisper") }, whisperReaders };
}

const readerOf = (joined: Joined, role: "player" | "spectator" = "player"): { socket: TestSocket; reader: Reader } => ({
  socket: joined.socket,
  reader: role === "spectator" ? { role } : { role, id: joined.playerId, team: joined.team },
});

describe("chat over a long random session", () => {
  it("arena, two teams of two and a spectator, 600 ticks: no team line in another team's or the spectator's stream, no whisper outside its two players", async () => {
    const room = await TestRoom.create("arena", { seed: 5 });
    const players = [await room.join("ann"), await room.join("bob"), await room.join("cat"), await room.join("dan")];
    const watcher = await room.join("eve", "spectate");
    expect(new Set(players.map((p) => p.team))).toEqual(new Set(["red", "blue"]));
    const random = createRandom(21);
    for (let t = 0; t < 600; t++) {
      for (const p of players) if (random.next() < 0.1) p.socket.act("input", { dx: random.between(-1, 1), dy: random.between(-1, 1) });
      if (random.next() < 0.5) randomChat(random, players, watcher);
      for (const p of [...players, watcher]) await p.socket.flush();
      await room.tick();
    }
    const sockets = [...players.map((p) => readerOf(p)), readerOf(watcher, "spectator")];
    const result = audit(sockets);
    console.log(`arena chat: ${JSON.stringify(result)}`);
    expect(result.leaked).toEqual({ all: 0, team: 0, whisper: 0 });
    expect(result.missing).toBe(0);
    // Every whisper reached exactly its two players: two readings per whisper, no more.
    expect(result.whisperReaders).toBe(2 * result.lines.whisper);
    expect(Math.min(result.lines.all, result.lines.team, result.lines.whisper)).toBeGreaterThan(20);
    const refusals = errorsOf(watcher.socket).map((e) => e.code);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set(["chat_disabled"]));
    expect(players.flatMap((p) => errorsOf(p.socket)).every((e) => e.code === "unknown_recipient")).toBe(true);

    // A newcomer on each side and a second spectator get only the kept lines their audience may read.
    const late = [await room.join("fay"), await room.join("gus")];
    const lateWatcher = await room.join("hal", "spectate");
    for (const joined of [...late, lateWatcher]) await joined.socket.next(isType("chat-history"));
    const lateAudit = audit([...late.map((p) => readerOf(p)), readerOf(lateWatcher, "spectator")]);
    expect(lateAudit.leaked).toEqual({ all: 0, team: 0, whisper: 0 });
    const history = (socket: TestSocket) => socket.messages.find(isType("chat-history"))?.lines ?? [];
    expect(history(lateWatcher.socket).length).toBe(Math.min(CHAT_HISTORY, result.lines.all));
    for (const p of late) expect(history(p.socket).filter((line) => line.channel === "team").every((line) => line.team === p.team)).toBe(true);
  });

  it("battleship, two teams of two and a spectator, 400 rounds of moves and chat: the same, with zero leaks", async () => {
    const room = await TestRoom.create("battleship", { preset: "quick", seed: 8 });
    const players = [await room.join("ann"), await room.join("bob"), await room.join("cat"), await room.join("dan")];
    const watcher = await room.join("eve", "spectate");
    const random = createRandom(34);
    for (const p of players) (p.socket.act("shuffle", {}), p.socket.act("ready", {}));
    for (let t = 0; t < 400; t++) {
      const shooter = players[random.int(players.length)] as Joined;
      shooter.socket.act("fire", { x: random.int(6), y: random.int(6) });
      randomChat(random, players, watcher);
      for (const p of [...players, watcher]) await p.socket.flush();
    }
    const result = audit([...players.map((p) => readerOf(p)), readerOf(watcher, "spectator")]);
    console.log(`battleship chat: ${JSON.stringify(result)}`);
    expect(result.leaked).toEqual({ all: 0, team: 0, whisper: 0 });
    expect(result.missing).toBe(0);
    expect(result.whisperReaders).toBe(2 * result.lines.whisper);
    expect(Math.min(result.lines.all, result.lines.team, result.lines.whisper)).toBeGreaterThan(40);
  });
});

describe("kept chat", () => {
  it("survives eviction with hibernated sockets and a restart that closed them, and is sent per audience on join and resume", async () => {
    const room = await TestRoom.create("arena");
    const [ann, bob, cat] = [await room.join("ann"), await room.join("bob"), await room.join("cat")];
    expect(ann.team).toBe(cat.team);
    chat(ann.socket, "all", "hello all");
    chat(ann.socket, "team", "red plan");
    chat(bob.socket, "team", "blue plan");
    chat(ann.socket, "whisper", "psst bob", bob.playerId);
    await ann.socket.flush();
    await bob.socket.flush();
    await room.evict({ webSockets: "hibernate" });
    // A hibernated socket still gets new lines, and the ids go on from the kept ones.
    chat(cat.socket, "all", "after the nap");
    const nap = await ann.socket.next((m: ServerMessage) => m.type === "chat" && m.line.text === "after the nap");
    expect(nap.type === "chat" && nap.line.id).toBe(5);
    await room.evict({ webSockets: "close" });
    const token = ann.socket.welcome?.reconnectToken ?? "";
    const back = await TestSocket.open(room.reconnectUrl(token));
    const texts = (socket: TestSocket) => socket.messages.find(isType("chat-history"))?.lines.map((line) => line.text);
    await back.next(isType("chat-history"));
    expect(texts(back)).toEqual(["hello all", "red plan", "psst bob", "after the nap"]);
    const watcher = await room.join("eve", "spectate");
    await watcher.socket.next(isType("chat-history"));
    expect(texts(watcher.socket)).toEqual(["hello all", "after the nap"]);
    const dan = await room.join("dan");
    await dan.socket.next(isType("chat-history"));
    expect(dan.team).not.toBe(ann.team);
    expect(texts(dan.socket)).toEqual(["hello all", "blue plan", "after the nap"]);
  });

  it(`keeps the last ${CHAT_HISTORY} lines of a channel, and leaves with the room's storage`, async () => {
    const room = await TestRoom.create("battleship");
    const ann = await room.join("ann");
    for (let i = 1; i <= CHAT_HISTORY + 10; i++) chat(ann.socket, "all", `line ${i}`);
    chat(ann.socket, "team", "team line");
    await ann.socket.flush();
    const rows = () => runInDurableObject(room.stub, (_r, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM chat_lines").one().n);
    expect(await rows()).toBe(CHAT_HISTORY + 1);
    const bob = await room.join("bob");
    const history = await bob.socket.next(isType("chat-history"));
    expect(history.lines.map((line) => line.text)).toEqual(Array.from({ length: CHAT_HISTORY }, (_, i) => `line ${i + 11}`));
    const record = await room.abandon([ann, bob]);
    await room.skipTo((record.endedAt ?? 0) + 3_600_000);
    expect(await rows()).toBe(0);
  });
});

describe("a chat line that is refused", () => {
  it("floods: past the burst each line gets chat_rate_limited, and the others get exactly the lines that passed", async () => {
    const room = await TestRoom.create("battleship", { rateLimited: true });
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    const from = bob.socket.messages.length;
    for (let i = 0; i < 20; i++) chat(ann.socket, "all", `spam ${i}`);
    await ann.socket.next((m: ServerMessage) => m.type === "error" && errorsOf(ann.socket).length === 15);
    await bob.socket.flush();
    expect(errorsOf(ann.socket).map((e) => e.code)).toEqual(Array(15).fill("chat_rate_limited"));
    expect(Number(errorsOf(ann.socket)[0]?.detail)).toBeGreaterThan(0);
    const got = bob.socket.messages.slice(from).filter(isType("chat")).map((m) => m.line.text);
    expect(got).toEqual(["spam 0", "spam 1", "spam 2", "spam 3", "spam 4"]);
    expect(errorsOf(bob.socket)).toEqual([]);
    expect(ann.socket.closed).toBeUndefined();
  });

  it("is oversize, empty, invisible, has control characters, a bad channel or recipient, or a link: a typed error, nothing kept, nothing sent", async () => {
    const room = await TestRoom.create("arena");
    const [ann, bob] = [await room.join("ann"), await room.join("bob")];
    const before = await room.record();
    const bobFrom = bob.socket.messages.length;
    const cases: [string, string, string | undefined, string][] = [
      ["all", "x".repeat(CHAT_MAX_LENGTH + 1), undefined, "invalid_chat"],
      ["all", "   ", undefined, "invalid_chat"],
      ["all", "\u200b\u200b", undefined, "invalid_chat"],
      ["all", "line\nbreak", undefined, "invalid_chat"],
      ["all", "evil \u202e txt", undefined, "invalid_chat"],
      ["all", "half \ud800 pair", undefined, "invalid_chat"],
      ["whisper", "hi", undefined, "unknown_recipient"],
      ["whisper", "hi", ann.playerId, "unknown_recipient"],
      ["whisper", "hi", "nobody", "unknown_recipient"],
      ["team", "hi", bob.playerId, "unknown_recipient"],
      ["all", "see https://example.com", undefined, "chat_refused"],
    ];
    for (const [channel, text, to] of cases) chat(ann.socket, channel, text, to);
    ann.socket.send(JSON.stringify({ type: "chat", channel: "shout", text: "hi" }));
    ann.socket.send(JSON.stringify({ type: "chat", channel: "all", text: "y".repeat(5000) }));
    await ann.socket.flush();
    expect(errorsOf(ann.socket).map((e) => e.code)).toEqual([...cases.map((c) => c[3]), "bad_message", "message_too_large"]);
    expect(errorsOf(ann.socket)[10]?.detail).toBe("links are not allowed in chat");
    expect(errorsOf(ann.socket)[0]?.detail).toBe(`text must be 1 to ${CHAT_MAX_LENGTH} characters`);
    await bob.socket.flush();
    expect(bob.socket.messages.slice(bobFrom).filter((m) => m.type !== "snapshot")).toEqual([]);
    expect(ann.socket.messages.some((m) => m.type === "chat")).toBe(false);
    expect(await room.record()).toEqual(before);
    // The moderation hook's rewrite and the normalization apply before anyone sees a line.
    chat(ann.socket, "all", "  STOP SHOUTING NOW  ");
    chat(ann.socket, "all", "Cafe\u0301");
    const seen = await bob.socket.next((m: ServerMessage) => m.type === "chat" && m.line.text === "Café");
    expect(seen.type).toBe("chat");
    expect(bob.socket.messages.filter(isType("chat")).map((m) => m.line.text)).toEqual(["stop shouting now", "Café"]);
  });

  it("follows the game's settings: tic-tac-toe has no team channel, and its spectators may write to all", async () => {
    const room = await TestRoom.create("tic-tac-toe");
    const [x, o] = [await room.join("xavier"), await room.join("olga")];
    const watcher = await room.join("eve", "spectate");
    expect((await watcher.socket.next(isType("chat-history"))).settings).toEqual({ all: true, team: false, whisper: true, spectators: "write" });
    chat(x.socket, "team", "note to self");
    chat(watcher.socket, "all", "good luck both");
    chat(watcher.socket, "whisper", "psst", x.playerId);
    await x.socket.flush();
    await watcher.socket.flush();
    expect(errorsOf(x.socket).map((e) => e.code)).toEqual(["chat_disabled"]);
    expect(errorsOf(watcher.socket).map((e) => e.code)).toEqual(["chat_disabled"]);
    const line = await o.socket.next(isType("chat"));
    expect(line.line).toMatchObject({ channel: "all", name: "eve", team: "", text: "good luck both" });
  });
});
