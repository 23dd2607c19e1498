// permessage-deflate for room sockets (RFC 7692): the Worker answers the client's offer itself, with a small server window.
//
// workerd compresses every message it sends with the window the handshake agreed; left to itself it agrees to the
// client's 32 KiB, and searching that window was a fifth of a realtime room's CPU. A tick's update is a few hundred
// bytes and most like the update before it, so a window of 2^10 bytes (about 760 usable) keeps what the stream
// compresses against and makes compressing it several times cheaper. Only the server's side is narrowed: what the
// client sends is still inflated with the window the client chose.

/** zlib treats a deflate window of 8 bits as 9, so 9 is the smallest that means what it says. */
const MIN_BITS = 9;
const MAX_BITS = 15;

interface Offer {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  /** The largest server window the client accepts (15 unless it said less). */
  readonly serverMaxWindowBits: number;
  /** Absent: the client did not offer the parameter, so the answer must not carry it; null: offered without a value. */
  readonly clientMaxWindowBits: number | null | undefined;
}

/** One `permessage-deflate; …` offer, or undefined for another extension or one with a parameter this does not know. */
function parseOffer(text: string): Offer | undefined {
  const [name, ...params] = text.split(";").map((part) => part.trim());
  if (name?.toLowerCase() !== "permessage-deflate") return undefined;
  const offer = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: MAX_BITS, clientMaxWindowBits: undefined as number | null | undefined };
  const seen = new Set<string>();
  for (const param of params) {
    const [rawKey = "", raw] = param.split("=").map((part) => part.trim());
    const key = rawKey.toLowerCase();
    // A repeated parameter makes the offer invalid (RFC 7692 §7), and so does a value that is not a window size.
    if (seen.has(key)) return undefined;
    seen.add(key);
    const value = raw === undefined ? null : windowBits(raw.replace(/^"(.*)"$/, "$1"));
    if (key === "server_no_context_takeover" && raw === undefined) offer.serverNoContextTakeover = true;
    else if (key === "client_no_context_takeover" && raw === undefined) offer.clientNoContextTakeover = true;
    else if (key === "server_max_window_bits" && typeof value === "number") offer.serverMaxWindowBits = value;
    else if (key === "client_max_window_bits" && value !== undefined) offer.clientMaxWindowBits = value;
    else return undefined;
  }
  return offer;
}

const windowBits = (text: string): number | undefined => {
  const bits = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
  return bits >= 8 && bits <= MAX_BITS ? bits : undefined;
};

/**
 * The `Sec-WebSocket-Extensions` answer to the client's offers with the server's window at most `bits`: the first
 * permessage-deflate offer this can accept, answered with every parameter the RFC requires back. Null when there is
 * nothing to answer (no offer, none acceptable, or `bits` null), which leaves the runtime's own negotiation.
 */
export function deflateAnswer(offers: string | null, bits: number | null): string | null {
  if (offers === null || bits === null) return null;
  for (const text of offers.split(",")) {
    const offer = parseOffer(text);
    const server = offer && Math.max(MIN_BITS, Math.min(bits, offer.serverMaxWindowBits));
    // A client that allows the server only 8 bits gets the runtime's answer: zlib cannot keep to 8.
    if (!offer || server === undefined || server > offer.serverMaxWindowBits) continue;
    const params = ["permessage-deflate"];
    if (offer.serverNoContextTakeover) params.push("server_no_context_takeover");
    if (offer.clientNoContextTakeover) params.push("client_no_context_takeover");
    params.push(`server_max_window_bits=${server}`);
    // Offered without a value: the client can take any; 15 is what the runtime answers too.
    if (offer.clientMaxWindowBits !== undefined) params.push(`client_max_window_bits=${offer.clientMaxWindowBits ?? MAX_BITS}`);
    return params.join("; ");
  }
  return null;
}

/** A room's 101 with the deflate answer for `request`'s offer; any other response as it came. */
export function withDeflate(response: Response, request: Request, bits: number | null): Response {
  const answer = deflateAnswer(request.headers.get("Sec-WebSocket-Extensions"), bits);
  if (response.status !== 101 || !response.webSocket || answer === null) return response;
  const headers = new Headers(response.headers);
  headers.set("Sec-WebSocket-Extensions", answer);
  return new Response(null, { status: 101, webSocket: response.webSocket, headers });
}
