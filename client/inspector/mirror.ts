// What each audience of a room holds, rebuilt from the room's mirrored messages by one SDK RoomClient per audience.
import type { AudienceFrame, InspectHello, InspectorMessage, InspectorRequest, InspectReport } from "../../src/protocol/inspection.ts";
import type { ServerMessage } from "../../src/protocol/messages.ts";
import type { AudienceKey } from "../../src/protocol/messages.ts";
import { RoomClient } from "../sdk/room-client.ts";
import { differingPaths } from "./json.ts";

/** One message an audience was sent, as the stream panel lists it. */
export interface StreamEntry {
  readonly at: number;
  readonly kind: "patch" | "snapshot";
  readonly from?: number;
  readonly to: number;
  readonly ops: number;
  readonly bytes: number;
}

const KEPT = 200;

/**
 * The socket a RoomClient reads from: the inspector socket's frames for one audience. RoomClient only
 * listens for messages and writes resync requests, which go back to the room tagged with the audience.
 */
class AudienceFeed {
  readonly readyState = 1;
  readonly #listeners = new Set<(event: { data: string }) => void>();
  readonly #request: (text: string) => void;

  constructor(audience: AudienceKey, request: (request: InspectorRequest) => void) {
    this.#request = (text) => {
      if ((JSON.parse(text) as { type?: unknown }).type === "resync") request({ type: "resync", audience });
    };
  }

  addEventListener(_type: "message", listener: (event: { data: string }) => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: "message", listener: (event: { data: string }) => void): void {
    this.#listeners.delete(listener);
  }

  send(text: string): void {
    this.#request(text);
  }

  close(): void {}

  deliver(text: string): void {
    for (const listener of this.#listeners) listener({ data: text });
  }
}

export class AudienceMirror {
  readonly key: AudienceKey;
  readonly client: RoomClient<unknown>;
  /** Updates the audience was sent, newest last (the inspector's own snapshots are not in it). */
  readonly stream: StreamEntry[] = [];
  messages = 0;
  bytes = 0;
  /** Paths where the held view differs from the room's view at the last report; undefined before one. */
  differs: string[] | undefined;
  /** The version the room says this audience was last sent, at the last report. */
  serverVersion: number | undefined;
  /** The version this audience held when it was last compared. */
  comparedAt: number | undefined;
  readonly #feed: AudienceFeed;

  constructor(key: AudienceKey, request: (request: InspectorRequest) => void) {
    this.key = key;
    this.#feed = new AudienceFeed(key, request);
    // RoomClient takes a WebSocket; the feed has every member it uses (see AudienceFeed).
    this.client = new RoomClient<unknown>(this.#feed as unknown as WebSocket);
  }

  get version(): number {
    return this.client.version;
  }

  get view(): unknown {
    return this.client.view;
  }

  receive(frame: AudienceFrame, at: number): void {
    const message = frame.message as ServerMessage;
    if (frame.kind === "update" && (message.type === "patch" || message.type === "snapshot")) {
      this.messages += 1;
      this.bytes += frame.bytes;
      const entry: StreamEntry =
        message.type === "patch"
          ? { at, kind: "patch", from: message.from, to: message.to, ops: message.ops.length, bytes: frame.bytes }
          : { at, kind: "snapshot", to: message.version, ops: 0, bytes: frame.bytes };
      this.stream.push(entry);
      if (this.stream.length > KEPT) this.stream.shift();
    }
    this.#feed.deliver(JSON.stringify(message));
  }

  /** Bytes and messages per second over the last `windowMs`. */
  rate(now: number, windowMs = 3000): { bytes: number; messages: number } {
    const recent = this.stream.filter((entry) => entry.at > now - windowMs);
    return { bytes: (recent.reduce((sum, entry) => sum + entry.bytes, 0) * 1000) / windowMs, messages: (recent.length * 1000) / windowMs };
  }

  compare(report: InspectReport): void {
    this.serverVersion = report.sent[this.key];
    // Mid-resync nothing is held; the next report compares again.
    this.differs = this.client.version === -1 ? undefined : differingPaths(this.client.view, report.views[this.key]);
    this.comparedAt = this.client.version === -1 ? undefined : this.client.version;
  }
}

/** A room as an inspector sees it: the hello, each audience's mirror, the latest report, and when updates arrived. */
export class RoomMirror {
  hello: InspectHello | undefined;
  report: InspectReport | undefined;
  /** When the last report arrived, on this page's clock. */
  reportAt: number | undefined;
  result: unknown;
  readonly audiences = new Map<AudienceKey, AudienceMirror>();
  /** When each new room version was first seen in any audience's updates, newest last. */
  readonly arrivals: { at: number; version: number }[] = [];
  #latest = -1;
  readonly #request: (request: InspectorRequest) => void;
  readonly #now: () => number;

  constructor(request: (request: InspectorRequest) => void, now: () => number = () => Date.now()) {
    this.#request = request;
    this.#now = now;
  }

  receive(text: string): void {
    const message = JSON.parse(text) as InspectorMessage;
    const at = this.#now();
    switch (message.type) {
      case "inspecting":
        this.hello = message;
        return;
      case "audience":
        return this.#frame(message, at);
      case "report":
        this.report = message;
        this.reportAt = at;
        for (const audience of Object.keys(message.views) as AudienceKey[]) this.#audience(audience).compare(message);
        return;
      case "result":
        this.result = message.result;
        return;
    }
  }

  /** Every audience mirrored equals the room's view of it at the last report. */
  get allMatch(): boolean {
    return this.audiences.size > 0 && [...this.audiences.values()].every((a) => a.differs !== undefined && a.differs.length === 0);
  }

  #frame(frame: AudienceFrame, at: number): void {
    const known = this.audiences.has(frame.audience);
    const mirror = this.#audience(frame.audience);
    mirror.receive(frame, at);
    // A patch for an audience never seen (a player who just joined a game with player views) cannot apply: ask for its snapshot.
    if (!known && (frame.message as ServerMessage).type === "patch") mirror.client.resync();
    if (frame.kind !== "update") return;
    const message = frame.message as ServerMessage;
    const version = message.type === "patch" ? message.to : message.type === "snapshot" ? message.version : -1;
    if (version > this.#latest) {
      this.#latest = version;
      this.arrivals.push({ at, version });
      if (this.arrivals.length > KEPT) this.arrivals.shift();
    }
  }

  #audience(key: AudienceKey): AudienceMirror {
    let mirror = this.audiences.get(key);
    if (!mirror) {
      mirror = new AudienceMirror(key, this.#request);
      this.audiences.set(key, mirror);
    }
    return mirror;
  }
}
