// The SDK's default connect under Node 22, whose WebSocket reports a refused connection as an error with no close after it.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { openWebSocket } from "../../client/sdk/socket.ts";

/** A loopback port that nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("openWebSocket", () => {
  it("rejects a refused connection at once instead of waiting for a close that never comes", async () => {
    const started = Date.now();
    await expect(openWebSocket(`ws://127.0.0.1:${await closedPort()}/`, 30_000)).rejects.toThrow(/before open/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
