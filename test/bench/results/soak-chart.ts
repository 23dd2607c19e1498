// A hand-written SVG of the churn soak's curve: stored rows, stored bytes and the record's size per simulated minute.
import type { Sample } from "../../soak/results.ts";

interface Panel {
  readonly title: string;
  readonly color: string;
  readonly value: (s: Sample) => number;
}

const PANELS: readonly Panel[] = [
  { title: "stored rows", color: "#2f6fdf", value: (s) => s.storedRows },
  { title: "stored KB (SQLite database size)", color: "#2e9e4f", value: (s) => s.storedBytes / 1024 },
  { title: "record KB (serialized match record)", color: "#e0a030", value: (s) => s.recordBytes / 1024 },
  { title: "seated players", color: "#9aa5b1", value: (s) => s.seated },
];

const WIDTH = 720;
const PANEL_HEIGHT = 150;
const LEFT = 60;
const RIGHT = 20;
const TOP = 48;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function soakChart(samples: readonly Sample[], logBound: number): string {
  const lastSecond = Math.max(1, ...samples.map((s) => s.second));
  const lastTick = Math.max(1, ...samples.map((s) => s.tick));
  const x = (second: number) => LEFT + ((WIDTH - LEFT - RIGHT) * second) / lastSecond;
  const boundSecond = (lastSecond * logBound) / lastTick;
  const parts = PANELS.map((panel, i) => {
    const top = TOP + i * (PANEL_HEIGHT + 30);
    const max = Math.max(1, ...samples.map(panel.value)) * 1.1;
    const y = (value: number) => top + PANEL_HEIGHT - (PANEL_HEIGHT * value) / max;
    const points = samples.map((s) => `${x(s.second).toFixed(1)},${y(panel.value(s)).toFixed(1)}`).join(" ");
    const grid = [0, 0.5, 1].map((f) => {
      const value = (max / 1.1) * f;
      return `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(value)}" y2="${y(value)}" stroke="#e3e6ea"/><text x="${LEFT - 6}" y="${y(value) + 4}" text-anchor="end" font-size="10">${value.toLocaleString("en-US", { maximumFractionDigits: max < 20 ? 1 : 0 })}</text>`;
    });
    return [
      `<text x="${LEFT}" y="${top - 8}" font-size="12" font-weight="bold">${escape(panel.title)}</text>`,
      ...grid,
      `<line x1="${x(boundSecond)}" x2="${x(boundSecond)}" y1="${top}" y2="${top + PANEL_HEIGHT}" stroke="#c44" stroke-dasharray="4 3"/>`,
      `<polyline fill="none" stroke="${panel.color}" stroke-width="1.5" points="${points}"/>`,
    ].join("\n");
  });
  const height = TOP + PANELS.length * (PANEL_HEIGHT + 30);
  const axis = [0, 15, 30, 45, 60].filter((m) => m * 60 <= lastSecond).map((m) => `<text x="${x(m * 60)}" y="${height - 8}" text-anchor="middle" font-size="10">${m} min</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height + 10}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="14" font-size="13">16-seat arena soak, ${lastTick.toLocaleString("en-US")} ticks; dashed: the replay log reaches its bound (${logBound.toLocaleString("en-US")} steps)</text>`,
    ...parts,
    ...axis,
    "</svg>",
    "",
  ].join("\n");
}
