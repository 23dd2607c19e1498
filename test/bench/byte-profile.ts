// `npm run bench:profile`: where one client's downstream bytes go (16 players unless told), and what other shapes would send.
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join as joinPath } from "node:path";
import { parseArgs } from "node:util";
import { applyOps } from "../../client/sdk/patch.ts";
import { diff } from "../../src/engine/updates/patch.ts";
import type { ServerMessage } from "../../src/protocol/messages.ts";
import { createRoom, join, sleep, TempServer } from "../e2e/kit/dev-server.ts";
import { frameAlone, streamWire } from "./bytes/deflate-meter.ts";
import { Fleet } from "./clients/fleet.ts";
import { LeanBot } from "./clients/lean-bot.ts";
import { anatomy } from "./bytes/patch-anatomy.ts";
import { SHAPES, type Capture, type Item, type Update } from "./bytes/patch-shapes.ts";
import { Relay } from "./clients/relay.ts";
import { round } from "./results/stats.ts";

const { values } = parseArgs({ options: { players: { type: "string", default: "16" }, seconds: { type: "string", default: "5" }, out: { type: "string", default: "test-results/bench" } } });
const players = Number(values.players);
const seconds = Number(values.seconds);

let server: TempServer | undefined;
setTimeout(() => {
  console.error("bench:profile: hard timeout");
  server?.current.kill("SIGKILL");
  process.exit(2);
}, 120_000 + seconds * 1000).unref();

const fleet = new Fleet();
let relay: Relay | undefined;
try {
  server = await TempServer.start();
  const port = new URL(server.url).port;
  relay = await Relay.start(Number(port));
  const roomId = await createRoom(server.url, "arena", "bench");
  // The last bot to join is watched: its first snapshot already holds every player.
  const texts: string[] = [];
  let watched: LeanBot | undefined;
  for (let i = 0; i < players; i++) {
    const seat = await join(server.url, roomId, `bot${i}`);
    const through = { ...seat, wsUrl: seat.wsUrl.replace(`:${port}/`, `:${relay.port}/`) };
    const bot = await LeanBot.connect(through, i === players - 1 ? texts : undefined);
    fleet.add(bot);
    watched = bot;
  }
  fleet.start();
  await sleep(2000);
  const from = texts.length;
  const down = relay.counts.down;
  const startedAt = performance.now();
  await sleep(seconds * 1000);
  const window = (performance.now() - startedAt) / 1000;
  const measuredWire = (relay.counts.down - down) / players / window;
  // Messages still arriving after the window are left out.
  const captured = texts.slice(0, texts.length);
  fleet.close();

  const capture: Capture = { playerId: watched?.seat.playerId ?? "", items: replayed(captured, from) };
  const updates = capture.items.flatMap((item) => ("update" in item ? [item.update] : []));
  const ackTexts = capture.items.flatMap((item) => ("ack" in item && item.ack ? [item.text] : []));
  const acks = ackTexts.length;
  const patchOf = (u: Update): string => JSON.stringify({ type: "patch", from: u.from, to: u.to, ops: u.ops });
  // One real tick: the update of median patch size in the window.
  const typical = [...updates].sort((a, b) => patchOf(a).length - patchOf(b).length)[Math.floor(updates.length / 2)];
  if (!typical) throw new Error("no updates captured");
  const snapshots = updates.filter((u) => u.sent.startsWith('{"type":"snapshot"')).length;
  const perSec = (n: number) => Math.round(n / window);
  const shapes = [];
  for (const shape of SHAPES) {
    const sent = shape.texts(capture);
    shapes.push({ shape: shape.name, change: shape.change, payloadBytesPerSec: perSec(sent.reduce((sum, t) => sum + Buffer.byteLength(t), 0)), wireBytesPerSec: perSec(await streamWire(sent)) });
  }
  const profile = {
    date: new Date().toISOString(),
    players,
    windowSeconds: round(window),
    loadAverage: loadavg()[0],
    measuredWireDownBytesPerClientSec: Math.round(measuredWire),
    perSec: { updates: round(updates.length / window), sentAsSnapshot: round(snapshots / window), acks: round(acks / window) },
    ackBytes: Buffer.byteLength(ackTexts[0] ?? ""),
    typicalTick: {
      sentBytes: Buffer.byteLength(typical.sent),
      sentKind: JSON.parse(typical.sent).type as string,
      sentWireAlone: frameAlone(typical.sent),
      patch: { ...anatomy(patchOf(typical)), wireAlone: frameAlone(patchOf(typical)), text: patchOf(typical) },
    },
    shapes,
  };
  await mkdir(values.out, { recursive: true });
  const file = joinPath(values.out, `profile-${profile.date.slice(0, 19).replace(/:/g, "-")}.json`);
  await writeFile(file, `${JSON.stringify(profile, null, 2)}\n`);
  console.log(JSON.stringify({ ...profile, typicalTick: { ...profile.typicalTick, patch: { ...profile.typicalTick.patch, text: `${profile.typicalTick.patch.text.slice(0, 400)}…` } } }, null, 2));
  console.log(`written: ${file}`);
} finally {
  fleet.close();
  await relay?.close();
  await server?.close();
}

/**
 * Replays a client's messages to know the view after each one, and turns each update (snapshot or
 * patch, whichever the room sent) from index `from` on into the ops the room's own diff gives.
 */
function replayed(texts: readonly string[], from: number): Item[] {
  const items: Item[] = [];
  let view: unknown;
  let version = -1;
  texts.forEach((text, i) => {
    const message = JSON.parse(text) as ServerMessage;
    let next = view;
    if (message.type === "snapshot") next = message.view;
    else if (message.type === "patch") next = applyOps(view, message.ops);
    else if (i >= from) items.push({ text, ack: message.type === "ack" });
    if (next === view) return;
    const to = message.type === "snapshot" ? message.version : message.type === "patch" ? message.to : version;
    if (i >= from && view !== undefined) items.push({ update: { from: version, to, ops: diff(view, next), sent: text } });
    view = next;
    version = to;
  });
  return items;
}
