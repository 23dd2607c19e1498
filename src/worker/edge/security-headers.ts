// Security headers for the HTML the Worker writes itself (the inspector's sign-in form); static pages get theirs from client/dist/_headers.
export const SECURITY_HEADERS = {
  // No script at all; the form posts to this origin only; nothing may frame it.
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
} as const;
