// Player names: NFC-normalized, something visible, no control, bidi, invisible or unpaired surrogate characters, on every route.
import { describe, expect, it } from "vitest";
import { nameProblem } from "../../../src/worker/edge/names.ts";
import { client } from "../../kit/edge.ts";
import { TestRoom } from "../../kit/room.ts";

const refused: [string, string, RegExp][] = [
  ["a bell (C0 control)", "ann\u0007", /control character \(U\+0007\)/],
  ["a C1 control", "ann\u0085", /control character/],
  ["a newline", "an\nn", /control character/],
  ["a right-to-left override", "ann\u202egpj.exe", /bidirectional control character \(U\+202E\)/],
  ["a right-to-left isolate", "\u2067ann", /bidirectional/],
  ["a right-to-left mark", "ann\u200f", /bidirectional/],
  ["only zero-width spaces", "\u200b\u200b", /invisible character/],
  ["a zero-width space inside", "a\u200bnn", /invisible character \(U\+200B\)/],
  ["only combining marks", "\u0301\u0301", /no visible character/],
  ["a Hangul filler (a blank letter)", "\u3164", /invisible character \(U\+3164\)/],
  ["a braille blank", "ann\u2800", /invisible character/],
  ["only whitespace", "   ", /1 to 24 characters/],
  ["an unpaired high surrogate", "ann\ud800", /unpaired surrogate/],
  ["an unpaired low surrogate", "\udc00ann", /unpaired surrogate/],
  ["25 characters", "a".repeat(25), /1 to 24 characters/],
];

describe("a player name", () => {
  it.each(refused)("with %s is refused with invalid_name on every route that takes one", async (_what, name, detail) => {
    expect(nameProblem(name.normalize("NFC").trim())).toMatch(detail);
    const room = await TestRoom.create("arena");
    const worker = client(undefined);
    for (const path of [`/api/rooms/${room.id}/join`, `/api/rooms/${room.id}/spectate`, "/api/private/ABCDEF/join", "/api/matchmake"]) {
      const body = path === "/api/matchmake" ? { game: "arena", name } : { name };
      const answer = await worker.post(path, body);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ type: "error", code: "invalid_name", detail: expect.stringMatching(detail) });
    }
    expect((await room.record()).players).toEqual({});
  });

  it("is normalized to NFC, so both spellings of a name are one name in the room", async () => {
    const room = await TestRoom.create("arena");
    const decomposed = await room.join("Rene\u0301");
    const info = (await (await client(undefined).fetch(`/api/rooms/${room.id}`)).json()) as { players: { id: string; name: string }[] };
    expect(info.players.find((p) => p.id === decomposed.playerId)?.name).toBe("Ren\u00e9");
  });

  it.each(["ann", "Zoë", "李小龍", "👩‍👩‍👧", "🇫🇷", "O'Brien-Smith", "a b"])("accepts %s", async (name) => {
    expect(nameProblem(name)).toBeUndefined();
    const room = await TestRoom.create("arena");
    expect((await room.join(name)).playerId).toBeTruthy();
  });
});
