// The markdown table of a bench: one row per configuration, then the targets met or missed.
import type { Figures } from "./figures.ts";
import type { Check } from "./targets.ts";

const n = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined ? "–" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const COLUMNS: readonly [string, (f: Figures) => string][] = [
  ["config (players×rooms)", (f) => f.config],
  ["wire ↓ B/client/s", (f) => n(f.wireDownBytesPerClientSec)],
  ["payload ↓ B/client/s", (f) => n(f.downBytesPerClientSec)],
  ["↑ B/client/s (wire)", (f) => `${n(f.upBytesPerClientSec)} (${n(f.wireUpBytesPerClientSec)})`],
  ["ack ms p50/p95/p99", (f) => `${n(f.ackLatencyMs.p50, 1)} / ${n(f.ackLatencyMs.p95, 1)} / ${n(f.ackLatencyMs.p99, 1)}`],
  ["stored ack ms p50/p99", (f) => `${n(f.storedAckLatencyMs.p50, 1)} / ${n(f.storedAckLatencyMs.p99, 1)}`],
  ["tick ms p50/p99", (f) => `${n(f.tickIntervalMs.p50, 1)} / ${n(f.tickIntervalMs.p99, 1)}`],
  ["overruns", (f) => n(f.tickOverruns)],
  ["server CPU s/s", (f) => n(f.serverCpuPerSec, 3)],
  ["CPU ms/tick", (f) => n(f.serverCpuMsPerTick, 2)],
  ["RSS MB", (f) => n(f.serverRssMb)],
  ["alarms /room-h", (f) => n(f.perRoomHour.alarms)],
  ["rows /room-h", (f) => n(f.perRoomHour.rowsWritten)],
  ["msgs in /room-h", (f) => n(f.perRoomHour.messagesIn)],
  ["msgs out /room-h", (f) => n(f.perRoomHour.messagesOut)],
  ["rows /tick", (f) => n(f.rowsWrittenPerTick, 3)],
  ["load (1 min)", (f) => `${n(f.loadAverage.start, 2)}→${n(f.loadAverage.end, 2)}`],
];

/** Each distinct answer the servers gave, with the configurations that got it (the hosts may answer differently). */
const acceptedBy = (figures: readonly Figures[]): string =>
  [...Map.groupBy(figures, (f) => f.deflate.accepted ?? "none")].map(([accepted, group]) => `\`${accepted}\` (${group.map((f) => f.config).join(", ")})`).join("; ");

export function markdown(figures: readonly Figures[], checks: readonly Check[], skipped: readonly string[], runs: number): string {
  const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const lines = [
    row(COLUMNS.map(([title]) => title)),
    row(COLUMNS.map(() => "---")),
    ...figures.map((f) => row(COLUMNS.map(([, cell]) => cell(f)))),
    "",
    runs > 1 ? `Medians of ${runs} runs per configuration.` : "One run per configuration.",
    `permessage-deflate: offered \`${figures[0]?.deflate.offered ?? "–"}\`; accepted ${acceptedBy(figures)}.`,
    ...skipped.map((reason) => `Not measured: ${reason}.`),
    "",
    row(["target", "limit", "measured", "met", "run by run (median of the ratios)"]),
    row(["---", "---", "---", "---", "---"]),
    ...checks.map((c) => row([c.label, n(c.limit, c.limit < 10 ? 2 : 0), n(c.value, c.limit < 10 ? 3 : 1), c.met === null ? "–" : c.met ? "yes" : "**no**", n(c.paired, 3)])),
  ];
  return `${lines.join("\n")}\n`;
}
