// CORS for /api/*: lets a page on an allowed origin (ALLOWED_ORIGINS) call the HTTP API, without credentials.
import { cors as honoCors } from "hono/cors";

/**
 * Mounted after the origin policy (src/worker/app.ts), which has already answered 403 to any browser
 * origin that is not allowed, preflights included; so the Origin that reaches this middleware is
 * allowed and is echoed back. No credentials: the API takes no cookies, a ticket is the credential.
 * WebSockets need no CORS (the origin policy checks their upgrade), so /rooms/* is not covered.
 */
export const cors = honoCors({
  origin: (origin) => origin || null,
  allowMethods: ["GET", "POST"],
  // The non-safelisted headers the SDK sends: JSON bodies, and the player's guest or provider token.
  allowHeaders: ["content-type", "authorization"],
  // Seconds a browser may reuse a preflight's answer (Chromium caps it at 7200).
  maxAge: 600,
  credentials: false,
});
