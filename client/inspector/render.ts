// The inspected room: its header, timing and storage cards, and the authoritative state beside each audience's view and stream.
import type { InspectReport } from "../../src/protocol/inspection.ts";
import type { AudienceKey } from "../../src/protocol/messages.ts";
import type { Inspection } from "./connection.ts";
import { formatJson, highlightJson } from "./json.ts";
import type { AudienceMirror, RoomMirror } from "./mirror.ts";
import { formatBytes, formatMs, intervals, spread } from "./timing.ts";

/** Narrow columns: JSON lines up to this many characters stay on one line. */
const JSON_WIDTH = 36;
const STREAM_ROWS = 8;
const SPARK_BARS = 48;

interface Column {
  readonly root: HTMLElement;
  readonly head: HTMLElement;
  readonly sub: HTMLElement;
  readonly stats: HTMLElement;
  readonly spark: HTMLElement;
  readonly json: HTMLElement;
  readonly stream: HTMLElement;
  shown: unknown;
}

const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const TEAM_COLOURS: Record<string, string> = { red: "var(--red)", blue: "var(--blue)", green: "var(--good)", gold: "var(--gold)" };
const colourOf = (audience: string): string => TEAM_COLOURS[audience.replace(/^team:/, "")] ?? (audience === "spectator" ? "var(--muted)" : "var(--accent)");

const dl = (rows: readonly (readonly [string, string])[]): string => rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("");

export interface RoomPanel {
  render(inspection: Inspection | undefined): void;
}

export function roomPanel(root: HTMLElement): RoomPanel {
  let skeletonFor: RoomMirror | undefined;
  let columns = new Map<AudienceKey | "authoritative", Column>();
  const part = (selector: string): HTMLElement => root.querySelector<HTMLElement>(selector) as HTMLElement;

  function skeleton(): void {
    root.innerHTML = `
      <section class="panel room-head">
        <div class="title-row">
          <span class="game-badge"></span><code class="rid"></code><span class="phase"></span>
          <span class="spacer"></span><span class="conn"></span>
        </div>
        <div class="facts muted"></div>
        <div class="roster"></div>
        <p class="conn-error" hidden></p>
      </section>
      <section class="metrics">
        <article class="panel metric"><h2>Tick timing</h2><dl class="timing"></dl></article>
        <article class="panel metric"><h2>Storage &amp; messages <small>since the room loaded</small></h2><dl class="storage"></dl></article>
        <article class="panel metric"><h2>Traffic <small>last 3 s</small></h2><dl class="traffic"></dl></article>
      </section>
      <section class="columns"></section>`;
    columns = new Map();
  }

  function column(key: AudienceKey | "authoritative"): Column {
    const known = columns.get(key);
    if (known) return known;
    const el = document.createElement("article");
    el.className = `panel column ${key === "authoritative" ? "authoritative" : "audience"}`;
    el.dataset["audience"] = key;
    el.style.setProperty("--team", key === "authoritative" ? "var(--gold)" : colourOf(key));
    el.innerHTML = `<header><span class="col-name"></span><span class="badge"></span></header>
      <div class="sub muted"></div><div class="stats"></div><div class="spark"></div>
      <pre class="json"></pre><ol class="stream"></ol>`;
    const q = (s: string) => el.querySelector<HTMLElement>(s) as HTMLElement;
    const made: Column = { root: el, head: q(".col-name"), sub: q(".sub"), stats: q(".stats"), spark: q(".spark"), json: q(".json"), stream: q(".stream"), shown: undefined };
    made.head.textContent = key === "authoritative" ? "Authoritative" : key;
    const host = part(".columns");
    // Authoritative first, then audiences in the order the room lists them.
    if (key === "authoritative") host.prepend(el);
    else host.append(el);
    columns.set(key, made);
    return made;
  }

  function showJson(col: Column, value: unknown): void {
    if (col.shown === value) return;
    col.shown = value;
    col.json.innerHTML = value === undefined ? `<span class="muted">nothing held yet</span>` : highlightJson(formatJson(value, "", JSON_WIDTH));
  }

  function header(inspection: Inspection, mirror: RoomMirror, report: InspectReport | undefined): void {
    const hello = mirror.hello;
    const game = report?.game ?? hello?.game ?? "";
    const badge = part(".game-badge");
    badge.textContent = game || "room";
    badge.dataset["game"] = game;
    part(".rid").textContent = inspection.roomId;
    const phase = part(".phase");
    phase.textContent = report?.phase ?? "…";
    phase.dataset["phase"] = report?.phase ?? "";
    const conn = part(".conn");
    conn.textContent = inspection.status;
    conn.dataset["status"] = inspection.status;
    const error = part(".conn-error");
    error.hidden = inspection.error === undefined;
    error.textContent = inspection.error ?? "";
    if (!report) return;
    const { record } = report;
    part(".facts").innerHTML = [
      `preset <b>${escape(report.preset)}</b>`,
      `<b>${report.seated}</b>/${report.capacity} players`,
      `tick <b>${record.tick}</b>`,
      `version <b>${record.version}</b>`,
      report.listed ? "public" : "private",
      `${report.inspectors} inspector${report.inspectors === 1 ? "" : "s"}`,
      record.result === undefined ? "" : `result <b>${escape(JSON.stringify(record.result))}</b>`,
    ].filter(Boolean).join(" · ");
    part(".roster").innerHTML = Object.entries(record.players)
      .map(([id, seat]) => `<span class="chip" style="--team:${colourOf(seat.team)}" data-presence="${seat.presence}" title="${id}">${escape(seat.name)}<small>${escape(seat.team)} · ${seat.presence}</small></span>`)
      .join("") || `<span class="muted">nobody seated</span>`;
  }

  function metrics(mirror: RoomMirror, report: InspectReport | undefined, now: number): void {
    const hz = report?.tickHz ?? mirror.hello?.tickHz ?? 0;
    const observed = spread(intervals(mirror.arrivals.slice(-61).map((a) => a.at)));
    const alarms = spread(intervals(report?.timing.at ?? []));
    const late = spread((report?.timing.late ?? []).filter((l): l is number => l !== null));
    const ran = spread(report?.timing.ran ?? []);
    const next = report?.timing.next ?? null;
    part(".timing").innerHTML = dl([
      ["loop", hz > 0 ? `${hz} Hz · every ${formatMs(1000 / hz)}` : "turn-based (alarms for deadlines only)"],
      ["updates seen", observed ? `${formatMs(observed.mean)} mean · ${formatMs(observed.p95)} p95 · ${formatMs(observed.last)} last` : "—"],
      ["room wakes (alarm or tick timer)", alarms ? `${formatMs(alarms.mean)} mean · ${formatMs(alarms.p95)} p95 apart` : "—"],
      ["wake lateness", late ? `${formatMs(late.mean)} mean · ${formatMs(late.p95)} p95` : "—"],
      ["ticks per wake", ran ? ran.mean.toFixed(2) : "—"],
      ["next alarm", next === null ? "none set" : `in ${formatMs(Math.max(0, next - (mirror.reportAt ?? now)))} (at the last report)`],
    ]);
    const stats = report?.stats;
    part(".storage").innerHTML = stats
      ? dl([
          ["rows written", `<b>${stats.rowsWritten}</b>`],
          ["rows per tick", stats.ticks > 0 ? (stats.rowsWritten / stats.ticks).toFixed(2) : "—"],
          ["alarms (invocations · writes)", `${stats.alarms} · ${stats.alarmWrites}`],
          ["tick timer wakes", String(stats.timerWakes)],
          ["ticks run", String(stats.ticks)],
          ["messages in", String(stats.messagesIn)],
          ["messages out", String(stats.messagesOut)],
          ["stored now", `${stats.storedRows} rows · ${(stats.storedBytes / 1024).toFixed(1)} KiB`],
          ["match record", `${((stats.recordBytes ?? 0) / 1024).toFixed(1)} KiB`],
        ])
      : "";
    let bytes = 0;
    let messages = 0;
    for (const audience of mirror.audiences.values()) {
      const rate = audience.rate(now);
      bytes += rate.bytes;
      messages += rate.messages;
    }
    const sockets = Object.values(report?.sockets ?? {}).reduce<number>((sum, n) => sum + (n ?? 0), 0);
    part(".traffic").innerHTML = dl([
      ["all audiences", `<b>${formatBytes(bytes)}/s</b> · ${messages.toFixed(1)} msg/s`],
      ["largest message", formatBytes(Math.max(0, ...[...mirror.audiences.values()].flatMap((a) => a.stream.map((e) => e.bytes))))],
      ["sockets", `${sockets} (inspectors not counted)`],
      ["audiences", String(mirror.audiences.size)],
    ]);
  }

  function authoritative(report: InspectReport | undefined): void {
    const col = column("authoritative");
    if (!report) return;
    col.root.querySelector<HTMLElement>(".badge")!.textContent = "match record";
    col.sub.textContent = `tick ${report.record.tick} · version ${report.record.version} · seed ${report.record.seed}`;
    col.stats.innerHTML = `<span>the room's state, reported every second</span>`;
    showJson(col, report.record.state);
  }

  function audience(mirror: AudienceMirror, report: InspectReport | undefined, now: number): void {
    const col = column(mirror.key);
    const badge = col.root.querySelector<HTMLElement>(".badge")!;
    const differs = mirror.differs;
    badge.dataset["state"] = differs === undefined ? "wait" : differs.length === 0 ? "ok" : "bad";
    const at = mirror.comparedAt === undefined ? "" : ` at v${mirror.comparedAt}`;
    badge.textContent = differs === undefined ? "comparing…" : differs.length === 0 ? `✓ equals server${at}` : `✗ differs${at}: ${differs.slice(0, 3).join(", ")}`;
    badge.title = differs?.length ? differs.join("\n") : "The view patched from this audience's messages, compared with the room's view of it at the last report";
    const sockets = report?.sockets[mirror.key] ?? 0;
    col.sub.textContent = `holds v${mirror.version} · ${sockets} socket${sockets === 1 ? "" : "s"} · ${mirror.client.gaps} gap${mirror.client.gaps === 1 ? "" : "s"}`;
    const rate = mirror.rate(now);
    const last = mirror.stream[mirror.stream.length - 1];
    const average = mirror.messages > 0 ? mirror.bytes / mirror.messages : 0;
    col.stats.innerHTML = `<b>${formatBytes(rate.bytes)}/s</b><span>${rate.messages.toFixed(1)} msg/s</span><span>last ${last ? formatBytes(last.bytes) : "—"}</span><span>avg ${formatBytes(average)}</span>`;
    col.spark.innerHTML = sparkline(mirror.stream.slice(-SPARK_BARS).map((entry) => entry.bytes));
    const view = mirror.view as { game?: unknown } | undefined;
    showJson(col, view?.game ?? view);
    col.stream.innerHTML = mirror.stream
      .slice(-STREAM_ROWS)
      .reverse()
      .map((e) => `<li data-kind="${e.kind}"><b>${e.kind}</b><span>${e.kind === "patch" ? `v${e.from}→${e.to}` : `v${e.to}`}</span><span>${e.kind === "patch" ? `${e.ops} op${e.ops === 1 ? "" : "s"}` : "whole view"}</span><span class="bytes">${formatBytes(e.bytes)}</span></li>`)
      .join("") || `<li class="muted">no updates yet</li>`;
  }

  return {
    render(inspection) {
      if (!inspection) {
        skeletonFor = undefined;
        root.innerHTML = `<div class="panel empty"><h2>Pick a room</h2><p class="muted">Choose one from the list, or paste a room id above (private rooms are not listed). Start a game in another tab at <a href="/">the demo</a>.</p></div>`;
        return;
      }
      const mirror = inspection.mirror;
      if (skeletonFor !== mirror) {
        skeleton();
        skeletonFor = mirror;
      }
      const report = mirror.report;
      const now = Date.now();
      header(inspection, mirror, report);
      metrics(mirror, report, now);
      authoritative(report);
      for (const audienceMirror of mirror.audiences.values()) audience(audienceMirror, report, now);
    },
  };
}

/** Bytes per message as bars, tallest = largest in view. */
function sparkline(values: readonly number[]): string {
  if (values.length === 0) return "";
  const max = Math.max(...values, 1);
  const w = 100 / SPARK_BARS;
  const bars = values.map((v, i) => `<rect x="${(i * w).toFixed(2)}" y="${(100 - (v / max) * 100).toFixed(1)}" width="${(w * 0.7).toFixed(2)}" height="${((v / max) * 100).toFixed(1)}"/>`).join("");
  return `<svg viewBox="0 0 100 100" preserveAspectRatio="none" aria-label="bytes per message">${bars}</svg><span class="spark-max">${formatBytes(max)}</span>`;
}
