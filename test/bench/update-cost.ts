// `npm run bench:updates`: the CPU of a room step and of its updates (diff, text, per-socket ack), bytes, and permessage-deflate, offline, from the engine alone.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { constants, createDeflateRaw, type DeflateRaw } from "node:zlib";
import type { Game } from "../../src/engine/define-game.ts";
import { advance, createMatch, type LogEntry, type MatchRecord } from "../../src/engine/match.ts";
import type { DiffMemo } from "../../src/engine/updates/patch.ts";
import { createRandom } from "../../src/engine/random.ts";
import { audiencesOf, audienceOf, updateFor, viewFor, type AudienceKey, type Sent } from "../../src/engine/updates/views.ts";
import { games } from "../../src/games/index.ts";
import { round } from "./results/stats.ts";
import { withAck } from "../../src/worker/room/outbound/update-acks.ts";

const { values } = parseArgs({
  options: {
    game: { type: "string", default: "arena" },
    preset: { type: "string" },
    players: { type: "string", default: "16" },
    ticks: { type: "string", default: "4000" },
  },
});
const game = (games as Record<string, Game>)[values.game];
if (!game) throw new Error(`no game ${values.game}`);
const preset = values.preset ?? (game.name === "arena" ? "bench" : "default");
const players = Number(values.players);
const ticks = Number(values.ticks);
const teams = game.teams;

// The bench's bots (test/bench/clients/fleet.ts): every player sends an input each tick and turns every 20 ticks.
const random = createRandom(16);
const heading = () => {
  const angle = random.between(0, 2 * Math.PI);
  return { dx: round(Math.cos(angle)), dy: round(Math.sin(angle)) };
};
let record: MatchRecord = createMatch(game, { preset, seed: 3, time: 0 });
const ids = Array.from({ length: players }, (_, i) => `p${String(i).padStart(9, "0")}`);
const joins = ids.map((id, i): LogEntry => ({ kind: "join", player: id, name: `bot${i}`, team: teams[i % teams.length] as string }));
record = advance(game, record, { tick: 0, time: 0, entries: joins, ticks: 0 }).record;
const directions = ids.map(heading);
const seqs = ids.map(() => 0);

// A realtime game acknowledges inputs in its updates, spliced in by the room's own withAck (every socket holds the stored seq here); an older build sent an ack message each.
const acksInUpdates = process.env["ACK_MESSAGES"] !== "1";

const audiences = audiencesOf(game, record);
const sent = new Map<AudienceKey, Sent>(audiences.map((a) => [a, { version: record.version, view: viewFor(game, record, a) }]));
const sockets = ids.map((id, i) => ({ id, audience: audienceOf(game, { id, name: "", team: joins[i]?.kind === "join" ? joins[i].team : "" }), deflate: createDeflateRaw({ windowBits: 15, memLevel: 8 }), wire: 0 }));
for (const socket of sockets) socket.deflate.on("data", (chunk: Buffer) => (socket.wire += chunk.length));

let payload = 0;
let messages = 0;
let wire = 0;
let buildMicros = 0;
let stepMicros = 0;
// The first quarter warms the JIT up and is not timed; the texts of every tick are kept for the deflate pass.
const warmup = Math.floor(ticks / 4);
const texts: { socket: (typeof sockets)[number]; text: string }[] = [];
for (let t = 0; t < ticks; t++) {
  const entries: LogEntry[] = ids.map((id, i) => {
    if (t % 20 === 0) directions[i] = heading();
    seqs[i] = (seqs[i] ?? 0) + 1;
    return { kind: "act", player: id, seq: seqs[i] as number, action: "input", payload: directions[i] };
  });
  const stepStarted = performance.now();
  record = advance(game, record, { tick: record.tick, time: t * 50, entries, ticks: 1 }).record;
  const started = performance.now();
  // One per tick, shared by its audiences, as the room's broadcast does (src/worker/room/outbound/fanout.ts).
  const memo: DiffMemo = new Map();
  for (const audience of audiences) {
    const update = updateFor(sent.get(audience) as Sent, viewFor(game, record, audience), record.version, false, memo);
    if (!update) continue;
    sent.set(audience, update.sent);
    for (const socket of sockets) {
      if (socket.audience !== audience) continue;
      texts.push({ socket, text: acksInUpdates ? withAck(update.text, record.seqs[socket.id] ?? 0, record.seqs[socket.id] ?? 0) : update.text });
    }
  }
  if (!acksInUpdates) sockets.forEach((socket, i) => texts.push({ socket, text: JSON.stringify({ type: "ack", seq: seqs[i] }) }));
  if (t >= warmup) {
    buildMicros += (performance.now() - started) * 1000;
    stepMicros += (started - stepStarted) * 1000;
  }
}

// Deflate every socket's stream as workerd does (context takeover, a sync flush per message); timed on its own.
// Node's zlib streams run on its thread pool: the CPU figure includes a fixed dispatch cost per message that
// workerd, deflating in its own thread, does not pay, so compare it between builds rather than with workerd.
const deflateStarted = process.cpuUsage();
for (const { socket, text } of texts) {
  payload += Buffer.byteLength(text);
  messages += 1;
  const before = socket.wire;
  await flush(socket.deflate, text);
  // permessage-deflate drops the sync flush's 4-byte trailer; the server's frame header is 2 bytes under 126.
  const compressed = socket.wire - before - 4;
  wire += compressed + (compressed < 126 ? 2 : 4);
}
const deflate = process.cpuUsage(deflateStarted);
for (const socket of sockets) socket.deflate.close();

const seconds = ticks / game.tickHz;
console.log(JSON.stringify({
  game: game.name,
  preset,
  players,
  ticks,
  acks: acksInUpdates ? "in updates" : "ack messages",
  loadAverage: loadavg()[0],
  payloadBytesPerClientSec: Math.round(payload / players / seconds),
  deflateInputBytesPerRoomSec: Math.round(payload / seconds),
  wireBytesPerClientSec: Math.round(wire / players / seconds),
  messagesPerClientSec: round(messages / players / seconds),
  bytesPerUpdate: Math.round(payload / (ticks * players)),
  stepMicrosPerTick: round(stepMicros / (ticks - warmup)),
  buildMicrosPerTick: round(buildMicros / (ticks - warmup)),
  deflateMicrosPerTick: round((deflate.user + deflate.system) / ticks),
  deflateMicrosPerMessage: round((deflate.user + deflate.system) / messages),
  sample: texts.at(-1)?.text.slice(0, 300),
}, null, 2));

function flush(stream: DeflateRaw, text: string): Promise<void> {
  stream.write(text);
  return new Promise((resolve) => stream.flush(constants.Z_SYNC_FLUSH, () => resolve()));
}
