// Command-line options of `npm run bench`: which configurations, how long, how many runs, where results go.
import { parseArgs } from "node:util";

/** One configuration of the arena scenario: players per room, rooms, the preset the rooms use, and the bots. */
export interface Configuration {
  /** "16x1"; "16x1-static" for the variant with 10,000 static entities; "16x1-lean" for its plain baseline. */
  readonly name: string;
  readonly players: number;
  readonly rooms: number;
  readonly preset: "bench" | "bench-static";
  /** "sdk": the SDK's RoomClient holds each bot's view; "lean": LeanBot (the static variant and its baseline). */
  readonly bots: "sdk" | "lean";
}

/**
 * Where a configuration runs: `npm run dev`'s wrangler, the built Worker on bare workerd, and three objects on bare workerd
 * that only count the same inputs (control), also send every socket an update of the template's size each tick (floor), or
 * also parse every input and store them, a row per 3 ticks on local disk, acking only stored inputs (durable).
 */
/** The control objects: count the inputs, also send the updates (floor), also store the inputs as a room does (durable). */
const CONTROL_HOSTS = ["control", "floor", "durable"] as const;
export type ControlHost = (typeof CONTROL_HOSTS)[number];
export type Host = "wrangler" | "workerd" | ControlHost;
export const HOSTS: readonly Host[] = [...CONTROL_HOSTS, "workerd", "wrangler"];
export const isControlHost = (host: Host): host is ControlHost => (CONTROL_HOSTS as readonly Host[]).includes(host);

export interface Options {
  readonly configurations: readonly Configuration[];
  readonly hosts: readonly Host[];
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly runs: number;
  readonly outDir: string;
  /** `--perf`: each bare-workerd window is profiled with Linux `perf` into the output folder (perf.ts). */
  readonly perfDir: string | undefined;
}

/** The scenario's six configurations (shared/bench/arena.md), then the static variant of (16,1) and its baseline. */
export const ALL = ["8x1", "16x1", "32x1", "64x1", "16x10", "32x10", "16x1-lean", "16x1-static"] as const;

const USAGE = `usage: npm run bench -- [--config 16x1[,32x1...]] [--host workerd[,wrangler,control]] [--seconds 20] [--warmup 3] [--runs 1] [--out test-results/bench] [--perf]
  configurations: ${ALL.join(" ")} (default: all)
  hosts: ${HOSTS.join(" ")} (default: all; control counts the inputs and does nothing, floor also sends the template's updates, durable also parses and stores the inputs)
  --perf: profile each bare-workerd window (workerd, control, floor, durable) with Linux perf: perf-<time>-<config>@<host>.txt in the output folder`;

export function configurationNamed(name: string): Configuration {
  const match = /^(\d+)x(\d+)(-static|-lean)?$/.exec(name);
  if (!match) throw new Error(`bad configuration "${name}"\n${USAGE}`);
  const players = Number(match[1]);
  const rooms = Number(match[2]);
  // The bench preset seats 64; more rooms than this would only measure the bots' own machine.
  if (players < 1 || players > 64 || rooms < 1 || rooms > 20) throw new Error(`configuration "${name}" is out of range (1-64 players, 1-20 rooms)`);
  return { name, players, rooms, preset: match[3] === "-static" ? "bench-static" : "bench", bots: match[3] ? "lean" : "sdk" };
}

export function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: "string", multiple: true },
      host: { type: "string", multiple: true },
      seconds: { type: "string", default: "20" },
      warmup: { type: "string", default: "3" },
      runs: { type: "string", default: "1" },
      out: { type: "string", default: "test-results/bench" },
      perf: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (text: string, name: string, min: number, max: number): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}\n${USAGE}`);
    return n;
  };
  const names = (values.config ?? [...ALL]).flatMap((list) => list.split(",")).filter((name) => name !== "");
  const hosts = (values.host ?? [...HOSTS]).flatMap((list) => list.split(",")).filter((name) => name !== "");
  for (const host of hosts) if (!(HOSTS as readonly string[]).includes(host)) throw new Error(`unknown host "${host}"\n${USAGE}`);
  return {
    configurations: names.map(configurationNamed),
    hosts: HOSTS.filter((host) => hosts.includes(host)),
    seconds: number(values.seconds, "seconds", 1, 600),
    warmupSeconds: number(values.warmup, "warmup", 0, 60),
    runs: Math.round(number(values.runs, "runs", 1, 9)),
    outDir: values.out,
    perfDir: values.perf ? values.out : undefined,
  };
}
