// Small HTTP helpers shared by the Worker routes and the room: error responses, body validation, random ids.
import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { errorBody, errors, type ErrorBody } from "../protocol/errors.ts";

export const errorResponse = (body: ErrorBody): Response => Response.json(body, { status: errors[body.code].status });

/** 32 symbols without look-alikes (no 0, 1, l, o); 256 is a multiple of 32, so every symbol is equally likely. */
export const ROOM_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

export const ROOM_ID = /^[a-km-np-z2-9]{12}$/;

export function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ROOM_ALPHABET[b % ROOM_ALPHABET.length]).join("");
}

/** Validate a JSON body with the schema that also types the handler; refusals use the one error shape (a bad name its own code). */
export const jsonBody = <Schema extends z.ZodType>(schema: Schema) =>
  zValidator("json", schema, (result) => {
    if (result.success) return undefined;
    const issue = result.error.issues[0];
    return errorResponse(errorBody(issue?.path[0] === "name" && issue.code === "custom" ? "invalid_name" : "invalid_request", { detail: issue?.message }));
  });

/** Validate a query string the same way. */
export const jsonQuery = <Schema extends z.ZodType>(schema: Schema) =>
  zValidator("query", schema, (result) =>
    result.success ? undefined : errorResponse(errorBody("invalid_request", { detail: result.error.issues[0]?.message })),
  );

export const isError = (value: object): value is ErrorBody => (value as ErrorBody).type === "error";
