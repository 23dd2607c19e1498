// `npm run dev` keeps its rooms in .wrangler/state across restarts (here on the port from PORT), and the README's reset forgets them.
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { readmeCommand } from "../../docs/readme.ts";
import { createRoom, freePort, startDevServer, type DevServer } from "../kit/dev-server.ts";
import { scratchCheckout } from "../kit/scratch.ts";

describe("npm run dev's local state", () => {
  const checkout = scratchCheckout("dev-state-");
  let server: DevServer | undefined;
  const start = async () => (server = await startDevServer({ port: await freePort(), persistTo: "", npmDev: { cwd: checkout, portVia: "env" } }));

  afterAll(async () => {
    await server?.stop();
  });

  it("keeps a room across a restart on the port from PORT, and forgets it after the README's reset command", async () => {
    expect(readmeCommand(/^PORT=\d+ npm run dev$/)).toBeDefined();
    const roomId = await createRoom((await start()).url, "arena");
    await server?.stop();
    expect((await fetch(`${(await start()).url}/api/rooms/${roomId}`)).status).toBe(200);
    await server?.stop();

    execFileSync("sh", ["-c", readmeCommand(/^rm -rf \.wrangler\/state$/) ?? "false"], { cwd: checkout });
    const gone = await fetch(`${(await start()).url}/api/rooms/${roomId}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: "room_not_found" });
  });
});
