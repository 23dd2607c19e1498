// The SDK's reconnecting socket on fake timers: backoff, reconnect and close at awkward moments, never two sockets open.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ConnectionStatus, ReconnectingSocket } from "../../client/sdk/socket.ts";
import { closes } from "../../src/protocol/close-codes.ts";
import { createRandom } from "../../src/engine/random.ts";
import { network, policy, settle } from "./fake-network.ts";

function reconnecting(net: ReturnType<typeof network>) {
  const statuses: ConnectionStatus[] = [];
  const opened: WebSocket[] = [];
  const socket = new ReconnectingSocket(() => "ws://room.test/ws", { open: (ws) => opened.push(ws), status: (s) => statuses.push(s) }, policy, net.connect, () => 0.5);
  return { socket, statuses, opened };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("ReconnectingSocket", () => {
  it("connects once, comes back after a drop with one attempt per backoff", async () => {
    const net = network();
    const { socket, statuses } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    expect(socket.status).toBe("open");
    net.sockets[0]?.close(closes.abnormal.code, "network");
    expect(socket.status).toBe("reconnecting");
    expect(socket.socket).toBeUndefined();
    // The first retry waits 75 ms (half of 100 fixed, a quarter by this random); only then does it connect.
    await vi.advanceTimersByTimeAsync(70);
    expect(net.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(net.attempts).toHaveLength(2);
    net.attempts[1]?.open();
    await settle();
    expect(statuses).toEqual(["open", "reconnecting", "open"]);
    expect(net.open()).toBe(1);
  });

  it("reconnect() during the backoff connects at once and cancels the pending retry: one attempt, not two", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    net.sockets[0]?.close(closes.abnormal.code, "network");
    // The retry is waiting out its backoff (about 75 ms with this random): ask for a fresh connection now.
    socket.drop("reconnect requested");
    await settle();
    expect(net.attempts).toHaveLength(2);
    net.attempts[1]?.open();
    await settle();
    // The cancelled retry never fires.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.attempts).toHaveLength(2);
    expect(net.open()).toBe(1);
    expect(socket.status).toBe("open");
  });

  it("reconnect() while an attempt is under way starts nothing more", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    for (let i = 0; i < 5; i++) socket.drop("reconnect requested");
    await vi.advanceTimersByTimeAsync(500);
    expect(net.attempts).toHaveLength(1);
    net.attempts[0]?.open();
    await settle();
    expect(net.open()).toBe(1);
  });

  it("reconnect() on an open socket closes it (4000) and opens one fresh socket", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    socket.drop("reconnect requested");
    expect(net.sockets[0]?.closedWith).toEqual({ code: closes.dropped.code, reason: "reconnect requested" });
    await settle();
    net.attempts[1]?.open();
    await settle();
    expect(net.open()).toBe(1);
    expect(socket.socket).toBe(net.sockets[1]);
  });

  it("close() during a connect closes the socket that opens afterwards, and nothing retries", async () => {
    const net = network();
    const { socket, opened } = reconnecting(net);
    await settle();
    socket.close();
    expect(socket.status).toBe("closed");
    const late = net.attempts[0]?.open();
    await settle();
    expect(late?.readyState).toBe(3);
    expect(opened).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
    expect(net.open()).toBe(0);
  });

  it("close() during the backoff cancels the retry", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.fail();
    await settle();
    expect(socket.status).toBe("reconnecting");
    socket.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
    expect(socket.status).toBe("closed");
  });

  it("fails an attempt that does not settle within connectTimeoutMs, and closes its socket if it opens later", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    await vi.advanceTimersByTimeAsync(policy.connectTimeoutMs);
    expect(socket.status).toBe("reconnecting");
    expect(socket.lastClose).toEqual({ code: closes.abnormal.code, reason: "connect timed out" });
    const late = net.attempts[0]?.open();
    await settle();
    expect(late?.readyState).toBe(3);
    await vi.advanceTimersByTimeAsync(policy.maxDelayMs);
    net.pending()[0]?.open();
    await settle();
    expect(net.open()).toBe(1);
  });

  it("stops for good on a close code the protocol table marks final", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    await settle();
    net.attempts[0]?.open();
    await settle();
    net.sockets[0]?.close(closes.replaced.code, "replaced");
    expect(socket.status).toBe("closed");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.attempts).toHaveLength(1);
  });

  it("never has two sockets open, whatever happens in whatever order (2,000 random events)", async () => {
    const net = network();
    const { socket } = reconnecting(net);
    const random = createRandom(7);
    let most = 0;
    for (let step = 0; step < 2_000; step++) {
      const roll = random.int(6);
      const pending = net.pending();
      if (roll === 0) socket.drop("reconnect requested");
      else if (roll === 1) pending[0]?.open();
      else if (roll === 2) pending[0]?.fail();
      else if (roll === 3) net.sockets.filter((ws) => ws.readyState === 1).forEach((ws) => ws.close(closes.abnormal.code, "network"));
      else await vi.advanceTimersByTimeAsync(random.int(3_000));
      await settle();
      most = Math.max(most, net.open());
    }
    expect(most).toBe(1);
    socket.close();
    await settle();
    net.pending()[0]?.open();
    await settle();
    expect(net.open()).toBe(0);
  });
});
