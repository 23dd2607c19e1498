// A byte-counting TCP relay on 127.0.0.1: what bots and server really exchange, after any permessage-deflate.
import { createServer, connect, type Server, type Socket } from "node:net";

/** Bytes through the relay so far, both ways, summed over every connection. */
export interface RelayCounts {
  up: number;
  down: number;
}

/** What one WebSocket handshake through the relay asked for and got. */
export interface Handshake {
  /** The client's Sec-WebSocket-Extensions request header; null when it offered none. */
  offered: string | null;
  /** The server's Sec-WebSocket-Extensions response header; null when it accepted none. */
  accepted: string | null;
}

export class Relay {
  readonly counts: RelayCounts = { up: 0, down: 0 };
  readonly handshakes: Handshake[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listen on a free loopback port and forward every connection to `targetPort`. */
  static async start(targetPort: number): Promise<Relay> {
    const relay: Relay = new Relay(createServer((client) => relay.#pipe(client, targetPort)));
    await new Promise<void>((resolve, reject) => {
      relay.#server.once("error", reject);
      relay.#server.listen(0, "127.0.0.1", resolve);
    });
    return relay;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  #pipe(client: Socket, targetPort: number): void {
    const server = connect(targetPort, "127.0.0.1");
    // Small frames must not wait for Nagle: the relay would add latency the bots then measure.
    client.setNoDelay(true);
    server.setNoDelay(true);
    const handshake: Handshake = { offered: null, accepted: null };
    const request = headBlock((head) => (handshake.offered = extensionsHeader(head)));
    const response = headBlock((head) => {
      handshake.accepted = extensionsHeader(head);
      if (/^HTTP\/1\.1 101/.test(head)) this.handshakes.push(handshake);
    });
    client.on("data", (chunk: Buffer) => {
      this.counts.up += chunk.length;
      request(chunk);
      server.write(chunk);
    });
    server.on("data", (chunk: Buffer) => {
      this.counts.down += chunk.length;
      response(chunk);
      client.write(chunk);
    });
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on("error", () => {
        client.destroy();
        server.destroy();
      });
      socket.on("close", () => {
        this.#sockets.delete(socket);
        (socket === client ? server : client).end();
      });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Collects a connection's first bytes until the HTTP header block ends, then hands it over once. */
function headBlock(done: (head: string) => void): (chunk: Buffer) => void {
  let head: string | null = "";
  return (chunk) => {
    if (head === null) return;
    head += chunk.toString("latin1");
    const end = head.indexOf("\r\n\r\n");
    if (end === -1 && head.length < 16_384) return;
    done(end === -1 ? head : head.slice(0, end));
    head = null;
  };
}

const extensionsHeader = (head: string): string | null =>
  /^sec-websocket-extensions:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? null;
