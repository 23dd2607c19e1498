// The one header through which the Worker tells a room who is connecting: built afresh for each upgrade, read once by the room.
import { z } from "zod";
import { errorBody, type ErrorBody } from "../../protocol/errors.ts";
import { ticketClaims } from "./ticket.ts";
import { DEFLATE_FRAMES } from "../../protocol/frames.ts";

const HANDOFF_HEADER = "x-room-handoff";

/** Reconnect tokens are 24 characters of the room-id alphabet. */
export const RECONNECT_TOKEN = /^[a-km-np-z2-9]{24}$/;

/** The client asked for compressed frames (`?frames=deflate`). */
const frames = z.literal(DEFLATE_FRAMES).optional();

const handoff = z.discriminatedUnion("kind", [
  /** A verified ticket's claims. */
  z.strictObject({ kind: z.literal("ticket"), claims: ticketClaims, frames }),
  /** A reconnect token only the room can check, and the version the client holds, to resume from. */
  z.strictObject({ kind: z.literal("reconnect"), token: z.string().regex(RECONNECT_TOKEN), resumeFrom: z.int().min(0).optional(), frames }),
  /** The dev inspector, after the Worker checked that it is on and that the caller may use it. */
  z.strictObject({ kind: z.literal("inspector") }),
]);

export type Handoff = z.infer<typeof handoff>;

/**
 * The request a room's `fetch()` gets: the upgrade and the handoff, and nothing else. The client's own
 * headers never cross, so a header a client sets cannot pose as something the Worker verified.
 */
export const handoffRequest = (roomId: string, value: Handoff): Request =>
  new Request(`https://room.internal/rooms/${roomId}/${value.kind}`, {
    headers: { Upgrade: "websocket", [HANDOFF_HEADER]: asciiJson(value satisfies Handoff) },
  });

/** Header values are bytes, and a name may not be ASCII: JSON's \u escapes keep the header ASCII and parse back exactly. */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The room's side: what the Worker verified, or a typed 400 (never a throw) when the header is missing or malformed. */
export function readHandoff(request: Request): Handoff | ErrorBody {
  const text = request.headers.get(HANDOFF_HEADER);
  if (text === null) return errorBody("invalid_request", { detail: "no admission handoff from the Worker" });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return errorBody("invalid_request", { detail: "admission handoff is not JSON" });
  }
  const parsed = handoff.safeParse(json);
  return parsed.success ? parsed.data : errorBody("invalid_request", { detail: "admission handoff does not match its schema" });
}

/** A `version=` query value: absent, or digits only (an empty value is not version 0). */
export function resumeVersion(raw: string | undefined): number | undefined | ErrorBody {
  if (raw === undefined) return undefined;
  const version = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(version) ? version : errorBody("invalid_request", { detail: "version must be a non-negative integer" });
}

/** A `frames=` query value: absent (text frames only), or `deflate` (src/protocol/frames.ts). */
export function framesQuery(raw: string | undefined): { frames?: typeof DEFLATE_FRAMES } | ErrorBody {
  if (raw === undefined) return {};
  return raw === DEFLATE_FRAMES ? { frames: DEFLATE_FRAMES } : errorBody("invalid_request", { detail: `frames must be "${DEFLATE_FRAMES}"` });
}
