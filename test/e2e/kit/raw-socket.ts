// A bare-bones WebSocket client over TCP, for frames no WebSocket library will send (invalid UTF-8).
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

/** Client frames: FIN set, masked, payloads up to 64 KiB. Server text frames are collected in `texts`. */
export class RawSocket {
  #socket: Socket;
  #buffer = Buffer.alloc(0);
  readonly texts: string[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("close", () => (this.closed = true));
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#readFrames();
    });
  }

  /** Open `wsUrl` (ws://127.0.0.1:port/path?query) and finish the HTTP upgrade. */
  static async open(wsUrl: string): Promise<RawSocket> {
    const url = new URL(wsUrl);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const head = new Promise<void>((resolve) => {
      let text = "";
      const onData = (chunk: Buffer) => {
        text += chunk.toString("latin1");
        if (!text.includes("\r\n\r\n")) return;
        socket.off("data", onData);
        const rest = Buffer.from(text.slice(text.indexOf("\r\n\r\n") + 4), "latin1");
        if (rest.length > 0) socket.unshift(rest);
        resolve();
      };
      socket.on("data", onData);
    });
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await head;
    return new RawSocket(socket);
  }

  /** Send one frame; opcode 1 is text, 2 is binary. */
  send(opcode: number, payload: Buffer): void {
    if (payload.length > 0xffff) throw new Error("RawSocket sends payloads up to 64 KiB");
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
    const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    this.#socket.write(Buffer.concat([Buffer.from([0x80 | opcode]), length, mask, masked]));
  }

  close(): void {
    this.#socket.destroy();
  }

  #readFrames(): void {
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length < 2) return;
      let length = (buffer[1] ?? 0) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      if (((buffer[0] ?? 0) & 0x0f) === 1) this.texts.push(buffer.subarray(offset, offset + length).toString("utf8"));
      this.#buffer = buffer.subarray(offset + length);
    }
  }
}
