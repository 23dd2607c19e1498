// Private-room join codes: short, unambiguous, and mapped to a room id by HMAC, so no lookup table is needed.
import { ROOM_ALPHABET } from "../http.ts";

/** No 0/O, 1/I/L: a code read aloud or from a screen is typed right the first time. */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE = /^[A-HJKMNP-Z2-9]{6}$/;

export function randomCode(): string {
  // 31 symbols: reject bytes past the last whole multiple of 31 so every symbol is equally likely.
  let code = "";
  while (code.length < 6) {
    for (const byte of crypto.getRandomValues(new Uint8Array(8))) {
      if (byte < 248 && code.length < 6) code += CODE_ALPHABET[byte % 31];
    }
  }
  return code;
}

const encoder = new TextEncoder();

/** The room a code opens: HMAC-SHA-256 of the code under the server secret, spelled as a room id. */
export async function roomIdForCode(code: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const digest = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`room-code:${code}`)));
  return Array.from(digest.slice(0, 12), (b) => ROOM_ALPHABET[b % ROOM_ALPHABET.length]).join("");
}
