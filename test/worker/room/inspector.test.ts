// The dev inspector in workerd: refused while off; mirrors every audience exactly; never a seat, a spectator, or a reason to tick.
import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RoomMirror } from "../../../client/inspector/mirror.ts";
import type { ErrorBody } from "../../../src/protocol/errors.ts";
import type { AudienceFrame, InspectorMessage, InspectReport } from "../../../src/protocol/inspection.ts";
import type { PatchMessage, ServerMessage } from "../../../src/protocol/messages.ts";
import type { AudienceKey } from "../../../src/engine/updates/views.ts";
import { app } from "../../../src/worker/app.ts";
import { settings } from "../../../src/worker/settings.ts";
import type { GameRoom } from "../../../src/worker/room/game-room.ts";
import { sameJson } from "../../kit/json.ts";
import { TestRoom } from "../../kit/room.ts";
import { CLOCK } from "../../../src/worker/room/seams.ts";

const BASE = "http://room.test";

/**
 * The Worker with the INSPECTOR var set for one request, as `--var INSPECTOR:on` would set it. (wrangler.toml,
 * which this test project reads, has it off, so the real entry point is the "off" case.)
 */
const fetchWith = (inspector: "on" | "off", path: string, headers: Record<string, string> = {}): Promise<Response> =>
  Promise.resolve(app.fetch(new Request(`${BASE}${path}`, { headers }), Object.assign({}, env, { INSPECTOR: inspector })));

/** An inspector socket feeding the page's own RoomMirror (the SDK's RoomClient per audience), plus its raw frames. */
interface Inspector {
  readonly ws: WebSocket;
  readonly mirror: RoomMirror;
  readonly frames: InspectorMessage[];
  /** Ask for a report and wait for it: it arrives after every update sent before it, on the same socket. */
  report(): Promise<InspectReport>;
}

async function inspect(room: TestRoom): Promise<Inspector> {
  const response = await fetchWith("on", `/rooms/${room.id}/inspect`, { Upgrade: "websocket" });
  const ws = response.webSocket;
  if (!ws) throw new Error(`inspector upgrade refused: ${response.status} ${await response.text()}`);
  const frames: InspectorMessage[] = [];
  const mirror = new RoomMirror((request) => ws.send(JSON.stringify(request)));
  ws.addEventListener("message", (event) => {
    frames.push(JSON.parse(String(event.data)) as InspectorMessage);
    mirror.receive(String(event.data));
  });
  ws.accept();
  const nextReport = async (): Promise<InspectReport> => {
    const before = frames.length;
    ws.send(JSON.stringify({ type: "report" }));
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 5))) {
      const found = frames.slice(before).find((f): f is InspectReport => f.type === "report");
      if (found) return found;
    }
    throw new Error("no report");
  };
  await nextReport();
  return { ws, mirror, frames, report: nextReport };
}

const updatesOf = (frames: readonly InspectorMessage[], audience: AudienceKey): AudienceFrame[] =>
  frames.filter((f): f is AudienceFrame => f.type === "audience" && f.kind === "update" && f.audience === audience);

/** An unused room's lifetime: a ticket's plus the margin. */
const unusedMs = (settings.ticketTtlSeconds + settings.unusedRoomMarginSeconds) * 1000;
const roomClock = (room: TestRoom): Promise<number> => runInDurableObject(room.stub, (instance: GameRoom) => instance[CLOCK]());

describe("the dev inspector", () => {
  it("is refused on every route with 404 inspector_off while the INSPECTOR var is off, as wrangler.toml has it", async () => {
    const room = await TestRoom.create("arena");
    const paths = ["/inspect", "/inspect/", "/inspect/main.js", "/api/inspect/rooms", `/rooms/${room.id}/inspect`];
    for (const path of paths) {
      for (const response of [
        await exports.default.fetch(`${BASE}${path}`, { headers: { Upgrade: "websocket" } }),
        await fetchWith("off", path, { Upgrade: "websocket" }),
      ]) {
        expect(response.status, path).toBe(404);
        expect(((await response.json()) as ErrorBody).code, path).toBe("inspector_off");
        expect(response.webSocket).toBeNull();
      }
    }
  });

  it("lists every room the matchmakers know, full ones included, when on", async () => {
    const body = JSON.stringify({ game: "battleship", preset: "quick" });
    const created = (await (await exports.default.fetch(`${BASE}/api/rooms`, { method: "POST", headers: { "content-type": "application/json" }, body })).json()) as { roomId: string };
    const listed = (await (await fetchWith("on", "/api/inspect/rooms")).json()) as { games: { game: string; rooms: { roomId: string; phase: string }[] }[] };
    expect(listed.games.map((g) => g.game)).toEqual(expect.arrayContaining(["arena", "battleship", "tic-tac-toe"]));
    expect(listed.games.find((g) => g.game === "battleship")?.rooms).toContainEqual(expect.objectContaining({ roomId: created.roomId, phase: "created" }));
  });

  it("mirrors every audience's messages, and its patched views equal the server's after ticks and a hibernation", async () => {
    const room = await TestRoom.create("arena", { seed: 5 });
    const ann = await room.join("ann");
    const bob = await room.join("bob");
    const inspector = await inspect(room);
    expect(inspector.mirror.hello).toMatchObject({ roomId: room.id, game: "arena", tickHz: 20 });
    const audiences: AudienceKey[] = ["team:red", "team:blue", "spectator"];
    expect([...inspector.mirror.audiences.keys()].sort()).toEqual([...audiences].sort());

    for (let t = 0; t < 40; t++) {
      if (t % 3 === 0) ann.socket.act("input", { dx: 1, dy: t % 2 });
      if (t % 4 === 0) bob.socket.act("input", { dx: -1, dy: 1 });
      await ann.socket.flush();
      await bob.socket.flush();
      await room.tick();
      if (t === 20) await room.evict({ webSockets: "hibernate" });
    }
    const report = await inspector.report();
    for (const audience of audiences) {
      const held = inspector.mirror.audiences.get(audience);
      expect(sameJson(held?.view, await room.view(audience)), audience).toBe(true);
      expect(held?.differs, audience).toEqual([]);
      // The room woke from its stored steps with its versions jumped (it was ticking), so each audience resynced at most once.
      expect(held?.client.gaps, audience).toBeLessThanOrEqual(1);
      // After a wake the room tracks an audience again from its next change; until then it reports no version.
      const sent = report.sent[audience];
      if (sent !== undefined) expect(held?.version, audience).toBe(sent);
      expect(held?.version ?? Infinity).toBeLessThanOrEqual(report.record.version);
    }
    expect(inspector.mirror.allMatch).toBe(true);
    expect(sameJson(report.record, await room.record())).toBe(true);

    // Exactly what the players' sockets were sent, in order, with each message's size.
    const annPatches = ann.socket.messages.filter((m: ServerMessage): m is PatchMessage => m.type === "patch");
    const mirrored = updatesOf(inspector.frames, "team:red");
    expect(mirrored.length).toBeGreaterThan(30);
    expect(mirrored.map((f) => (f.message as PatchMessage).to)).toEqual(annPatches.map((p) => p.to).filter((to) => to > (mirrored[0] ? (mirrored[0].message as PatchMessage).from : 0)));
    for (const frame of mirrored) expect(frame.bytes).toBe(new TextEncoder().encode(JSON.stringify(frame.message)).byteLength);
    // The spectators' audience has no socket, yet the inspector holds it (checked equal above).
    expect(report.sockets.spectator).toBe(0);
    expect(report.stats.rowsWritten, "rows").toBeGreaterThan(0);
    expect(report.timing.at.length, "alarms").toBeGreaterThan(0);
  });

  it("takes no seat, counts as no spectator, and keeps no tick loop or idle sweep alive", async () => {
    const arena = await TestRoom.create("arena");
    const inspector = await inspect(arena);
    // Only the unused room's disposal: no tick, no sweep.
    expect(await arena.alarmAt()).toBe((await roomClock(arena)) + unusedMs);
    expect((await arena.info()).seated).toBe(0);
    const ann = await arena.join("ann");
    const watcher = await arena.join("eve", "spectate");
    const info = await arena.info();
    expect(info.seated).toBe(1);
    expect(info.players.map((p) => p.name)).toEqual(["ann"]);
    const report = await inspector.report();
    expect(report.sockets).toEqual({ "team:red": 1, "team:blue": 0, spectator: 1 });
    expect(report.inspectors).toBe(1);
    await arena.tick(3);
    // Players gone: the room stops ticking although the inspector still watches; only the held seat's timer is left.
    ann.socket.ws.close(1000, "bye");
    watcher.socket.ws.close(1000, "bye");
    await arena.settle();
    const now = await roomClock(arena);
    expect((await arena.alarmAt()) ?? 0).toBeGreaterThan(now + 5_000);
    expect(inspector.ws.readyState).toBe(WebSocket.OPEN);

    // A turn-based room keeps an idle sweep only for real sockets.
    const ships = await TestRoom.create("battleship");
    await inspect(ships);
    expect(await ships.alarmAt()).toBe((await roomClock(ships)) + unusedMs);
    expect((await inspect(ships)).mirror.report?.inspectors).toBe(2);
  });
});

