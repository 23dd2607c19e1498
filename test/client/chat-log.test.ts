// The SDK's chat log: a history replaces the lines, live lines append once, unread counts follow what was marked read, and it stays bounded.
import { describe, expect, it } from "vitest";
import { ChatLog, MAX_CHAT_LINES } from "../../client/sdk/chat.ts";
import { defineGame, defaultChat } from "../../src/engine/define-game.ts";
import type { ChatChannel, ChatLine } from "../../src/protocol/messages.ts";

const line = (id: number, channel: ChatChannel, from = "bob"): ChatLine => ({ id, channel, from, name: from, team: "red", text: `line ${id}`, at: id });
const settings = defaultChat;

describe("the SDK's chat log", () => {
  it("counts unread lines of others per channel until they are marked read, across a history that replaces the lines", () => {
    const sent: string[] = [];
    const chat = new ChatLog((text) => (sent.push(text), true), () => "ann");
    chat.receive({ type: "chat-history", settings, lines: [line(1, "all"), line(2, "team"), line(3, "all", "ann")] });
    expect(chat.unread()).toBe(2);
    expect(chat.unread("all")).toBe(1);
    chat.markRead("all");
    expect([chat.unread("all"), chat.unread("team")]).toEqual([0, 1]);
    expect(chat.receive({ type: "chat", line: line(4, "whisper") })).toBe(true);
    // The same line again (a resume's history, then the live copy) is held once.
    expect(chat.receive({ type: "chat", line: line(4, "whisper") })).toBe(false);
    expect(chat.unread("whisper")).toBe(1);
    // A resume's history replaces the lines; what was read stays read.
    chat.receive({ type: "chat-history", settings, lines: [line(1, "all"), line(2, "team"), line(3, "all", "ann"), line(4, "whisper"), line(5, "all")] });
    expect(chat.lines.map((l) => l.id)).toEqual([1, 2, 3, 4, 5]);
    expect([chat.unread("all"), chat.unread("team"), chat.unread("whisper")]).toEqual([1, 1, 1]);
    chat.markRead();
    expect(chat.unread()).toBe(0);
    expect(chat.send("whisper", "psst", "bob")).toBe(true);
    expect(chat.send("all", "gg")).toBe(true);
    expect(sent.map((text) => JSON.parse(text))).toEqual([
      { type: "chat", channel: "whisper", text: "psst", to: "bob" },
      { type: "chat", channel: "all", text: "gg" },
    ]);
  });

  it(`holds at most ${MAX_CHAT_LINES} lines however many arrive, and says when no socket could carry a line`, () => {
    const chat = new ChatLog(() => false, () => "ann");
    for (let id = 1; id <= 10_000; id++) chat.receive({ type: "chat", line: line(id, "all") });
    expect(chat.lines.length).toBe(MAX_CHAT_LINES);
    expect(chat.lines[0]?.id).toBe(10_000 - MAX_CHAT_LINES + 1);
    expect(chat.send("all", "hello?")).toBe(false);
  });
});

describe("a game's chat settings", () => {
  const base = { name: "t", teams: ["a"], maxPlayers: 2, setup: () => ({}), actions: {} };
  it("default to every channel with spectators reading, take a partial object, or a function of the preset's config", () => {
    expect(defineGame({ ...base, presets: { default: {} } }).chat({})).toEqual({ all: true, team: true, whisper: true, spectators: "read" });
    expect(defineGame({ ...base, presets: { default: {} }, chat: { whisper: false } }).chat({})).toEqual({ all: true, team: true, whisper: false, spectators: "read" });
    const perPreset = defineGame({ ...base, presets: { default: { quiet: false }, quiet: { quiet: true } }, chat: (config) => (config.quiet ? { all: false, spectators: "none" } : {}) });
    expect(perPreset.chat({ quiet: true })).toEqual({ all: false, team: true, whisper: true, spectators: "none" });
    expect(perPreset.chat({ quiet: false })).toEqual(defaultChat);
  });
});
