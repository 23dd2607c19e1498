// One inspected room: the inspector socket, its RoomMirror, a report asked for every second, and reconnecting.
import { RequestError, roomInfo } from "../sdk/join.ts";
import { closes } from "../../src/protocol/close-codes.ts";
import type { InspectorRequest } from "../../src/protocol/inspection.ts";
import { RoomMirror } from "./mirror.ts";

export type InspectionStatus = "checking" | "connecting" | "open" | "closed" | "failed";

const REPORT_EVERY_MS = 1000;
const RETRY_MS = 2000;

export class Inspection {
  readonly roomId: string;
  mirror: RoomMirror;
  status: InspectionStatus = "checking";
  error: string | undefined;
  #socket: WebSocket | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #onChange: () => void;

  constructor(roomId: string, onChange: () => void) {
    this.roomId = roomId;
    this.#onChange = onChange;
    this.mirror = this.#newMirror();
    void this.#start();
  }

  close(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#retry);
    this.#socket?.close(closes.left.code, "done");
  }

  /** The room's own answer first, so a wrong id reads as the room's typed error rather than a bare socket close. */
  async #start(): Promise<void> {
    const refused = await roomInfo(location.origin, this.roomId).then(
      () => undefined,
      (error: unknown) => (error instanceof RequestError ? error.message : "the server did not answer"),
    );
    if (this.#stopped) return;
    if (refused) {
      this.status = "failed";
      this.error = refused;
      return this.#onChange();
    }
    this.#connect();
  }

  #newMirror(): RoomMirror {
    return new RoomMirror((request) => this.#send(request));
  }

  #send(request: InspectorRequest): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(request));
  }

  #connect(): void {
    const url = new URL(`/rooms/${this.roomId}/inspect`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.status = "connecting";
    this.#onChange();
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      this.status = "open";
      this.error = undefined;
      // A fresh mirror per connection: the room greets every inspector with what each audience holds.
      this.mirror = this.#newMirror();
      this.#timer = setInterval(() => this.#send({ type: "report" }), REPORT_EVERY_MS);
      this.#onChange();
    });
    socket.addEventListener("message", (event) => {
      this.mirror.receive(String(event.data));
      this.#onChange();
    });
    socket.addEventListener("close", (event) => {
      clearInterval(this.#timer);
      if (this.#stopped) return;
      this.status = "closed";
      this.error = event.code === closes.roomClosed.code ? "the room closed" : `socket closed (${event.code}); retrying`;
      this.#onChange();
      if (event.code !== closes.roomClosed.code) this.#retry = setTimeout(() => this.#connect(), RETRY_MS);
    });
  }
}
