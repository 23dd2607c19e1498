// A hand-written SVG chart of a bench: one panel per key figure, bars grouped by configuration, target marks.
import type { Figures } from "./figures.ts";

interface Series {
  readonly label: string;
  readonly color: string;
  readonly value: (f: Figures) => number | null;
}

interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
  /** The limit a configuration's bars should stay under, if the issue sets one for it. */
  readonly target: (f: Figures, all: readonly Figures[]) => number | null;
  /** Logarithmic axis, for figures that span orders of magnitude across configurations. */
  readonly log?: boolean;
}

const PANELS: readonly Panel[] = [
  {
    title: "Downstream bytes per client per second (log scale)",
    series: [
      { label: "payload", color: "#9aa5b1", value: (f) => f.downBytesPerClientSec },
      { label: "on the wire", color: "#2f6fdf", value: (f) => f.wireDownBytesPerClientSec },
    ],
    target: (f) => (f.players === 16 ? 4900 : f.players === 32 ? 9700 : null),
    log: true,
  },
  {
    title: "Latency as clients see it (ms, log scale)",
    series: [
      { label: "ack p50", color: "#8fd19e", value: (f) => f.ackLatencyMs.p50 },
      { label: "ack p99", color: "#2e9e4f", value: (f) => f.ackLatencyMs.p99 },
      { label: "tick interval p99", color: "#e0a030", value: (f) => f.tickIntervalMs.p99 },
    ],
    target: () => 55,
    log: true,
  },
  {
    title: "Server CPU seconds per wall second (every dev-server process)",
    series: [{ label: "CPU s/s", color: "#b04ad0", value: (f) => f.serverCpuPerSec }],
    target: (f) => (f.config.startsWith("32x10@") ? 0.27 : null),
  },
  {
    title: "Server CPU ms per tick (all rooms' ticks, log scale)",
    series: [{ label: "CPU ms/tick", color: "#d0604a", value: (f) => f.serverCpuMsPerTick }],
    // The static variant may cost at most 10% more per tick than the plain configuration.
    target: (f, all) => {
      const plain = all.find((p) => p.config === f.config.replace(/-static@/, "-lean@") && p !== f);
      return plain ? plain.serverCpuMsPerTick * 1.1 : null;
    },
    log: true,
  },
];

const WIDTH = 960;
const PANEL_HEIGHT = 260;
const LEFT = 70;
const RIGHT = 20;
const TOP = 50;
const AXIS_BOTTOM = 50;

const esc = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const short = (v: number): string =>
  v >= 10_000 ? `${Math.round(v / 1000)}k` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v >= 10 ? `${Math.round(v)}` : v >= 1 ? v.toFixed(1) : v.toFixed(2);

export function chart(figures: readonly Figures[], title: string): string {
  const parts = PANELS.map((panel, i) => panelSvg(panel, figures, TOP + i * PANEL_HEIGHT));
  const height = TOP + PANELS.length * PANEL_HEIGHT + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${LEFT}" y="28" font-size="16" font-weight="bold">${esc(title)}</text>`,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

function panelSvg(panel: Panel, figures: readonly Figures[], top: number): string {
  const plotTop = top + 30;
  const plotHeight = PANEL_HEIGHT - 30 - AXIS_BOTTOM;
  const plotBottom = plotTop + plotHeight;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const values = figures.flatMap((f) => [...panel.series.map((s) => s.value(f) ?? 0), panel.target(f, figures) ?? 0]);
  const max = Math.max(...values, 1e-9) * 1.15;
  const min = panel.log ? Math.max(1, Math.min(...values.filter((v) => v > 0)) / 2) : 0;
  const y = (v: number): number =>
    panel.log
      ? plotBottom - (Math.log10(Math.max(v, min) / min) / Math.log10(max / min)) * plotHeight
      : plotBottom - (v / max) * plotHeight;
  const out: string[] = [`<text x="${LEFT}" y="${top + 18}" font-size="13" font-weight="bold">${esc(panel.title)}</text>`];
  // Legend, right-aligned on the title line.
  panel.series.forEach((s, i) => {
    const x = WIDTH - RIGHT - (panel.series.length - i) * 130;
    out.push(`<rect x="${x}" y="${top + 8}" width="12" height="12" fill="${s.color}"/>`, `<text x="${x + 16}" y="${top + 18}">${esc(s.label)}</text>`);
  });
  for (const tick of gridValues(min, max, panel.log ?? false)) {
    const ty = y(tick);
    out.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${ty}" y2="${ty}" stroke="#e5e5e5"/>`, `<text x="${LEFT - 6}" y="${ty + 4}" text-anchor="end" fill="#555">${short(tick)}</text>`);
  }
  out.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${plotBottom}" y2="${plotBottom}" stroke="#333"/>`);
  const group = plotWidth / Math.max(1, figures.length);
  const bar = Math.min(36, (group * 0.75) / panel.series.length);
  figures.forEach((f, g) => {
    const left = LEFT + g * group + (group - bar * panel.series.length) / 2;
    panel.series.forEach((s, i) => {
      const v = s.value(f);
      if (v === null) return;
      const x = left + i * bar;
      const by = y(v);
      out.push(`<rect x="${x.toFixed(1)}" y="${by.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(plotBottom - by).toFixed(1)}" fill="${s.color}"/>`);
      out.push(`<text x="${(x + bar / 2 - 1).toFixed(1)}" y="${(by - 3).toFixed(1)}" text-anchor="middle" font-size="9">${short(v)}</text>`);
    });
    const limit = panel.target(f, figures);
    if (limit !== null) {
      const ty = y(limit).toFixed(1);
      out.push(`<line x1="${(LEFT + g * group + 4).toFixed(1)}" x2="${(LEFT + (g + 1) * group - 4).toFixed(1)}" y1="${ty}" y2="${ty}" stroke="#d00" stroke-width="2" stroke-dasharray="6 3"/>`);
      // Under the configuration's name, where no bar or value label can cover it.
      out.push(`<text x="${(LEFT + g * group + group / 2).toFixed(1)}" y="${plotBottom + 29}" text-anchor="middle" fill="#d00" font-size="10">target ≤ ${short(limit)}</text>`);
    }
    out.push(`<text x="${(LEFT + g * group + group / 2).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle" font-size="12">${esc(f.config)}</text>`);
  });
  return out.join("\n");
}

/** Gridlines: powers of ten on a log axis, about four round steps on a linear one. */
function gridValues(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let p = Math.ceil(Math.log10(min)); 10 ** p <= max; p++) out.push(10 ** p);
    return out;
  }
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}
