// Small HTTP helpers shared by the Worker routes and the room: error responses and random ids.
import { errors, type ErrorBody } from "../engine/errors.ts";

export const errorResponse = (body: ErrorBody): Response => Response.json(body, { status: errors[body.code].status });

/** 32 symbols without look-alikes (no 0, 1, l, o); 256 is a multiple of 32, so every symbol is equally likely. */
const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

export const ROOM_ID = /^[a-km-np-z2-9]{12}$/;

export function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
