// The front of a self-hosted Worker (npm run serve), in the Worker's own isolate: Workers Static Assets' routing and headers, then the Worker's fetch.
import { WorkerEntrypoint } from "cloudflare:workers";
// The built Worker, beside this module in the same worker: a call, not a service hop, so a socket's frames cross
// one pipe fewer (docs/self-host.md). Its Durable Object classes are this worker's exports.
import worker from "./index.js";
export * from "./index.js";

const TYPES = {
  html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8",
  svg: "image/svg+xml", json: "application/json", png: "image/png", ico: "image/x-icon", txt: "text/plain; charset=utf-8",
  map: "application/json", wasm: "application/wasm", webp: "image/webp", woff2: "font/woff2",
};

/** `run_worker_first` patterns: exact paths, or a prefix ending in `/*`. */
const matches = (pattern, path) => (pattern.endsWith("/*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern);

/** The `_headers` file's rules: `[pattern, [[name, value] | ["!", name]]]`, as Workers Static Assets applies them. */
function parseHeaders(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) rules.push([line.trim(), []]);
    else if (line.trim().startsWith("!")) rules.at(-1)?.[1].push(["!", line.trim().slice(1).trim()]);
    else {
      const at = line.indexOf(":");
      rules.at(-1)?.[1].push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

/** One static file from the client's folder (`files`), with `rules`' headers; null when there is none (the Worker answers then). */
async function asset(files, rules, request) {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const url = new URL(request.url);
  const path = decodeURIComponent(url.pathname);
  // The folder's control files and anything outside it are never served.
  if (path.includes("..") || /\/_(headers|redirects)$/.test(path)) return null;
  const file = path.endsWith("/") ? `${path}index.html` : path;
  let response = await files.fetch(`http://files${file}`, { method: request.method });
  if (response.status === 404 && !/\.[a-z0-9]+$/i.test(path) && !path.endsWith("/")) {
    // A folder asked without its slash, as Workers Static Assets' auto-trailing-slash does.
    const index = await files.fetch(`http://files${path}/index.html`, { method: "HEAD" });
    if (index.ok) return Response.redirect(`${url.origin}${path}/${url.search}`, 307);
  }
  if (!response.ok) return null;
  const headers = new Headers(response.headers);
  headers.set("Content-Type", TYPES[file.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream");
  for (const [pattern, changes] of rules.headers) {
    if (!matches(pattern, path)) continue;
    for (const [name, value] of changes) name === "!" ? headers.delete(value) : headers.append(name, value);
  }
  return new Response(response.body, { status: 200, headers });
}

let parsed;
const rulesOf = (env) =>
  (parsed ??= { headers: parseHeaders(env.SELF_HOST_RULES.headersText), workerFirst: env.SELF_HOST_RULES.workerFirst, clientIpHeader: env.SELF_HOST_RULES.clientIpHeader });

/** The Worker sees the env wrangler.toml gives it, without this front's own two bindings. */
const workerEnv = ({ SELF_HOST_FILES: _files, SELF_HOST_RULES: _rules, ...env }) => env;

/** The Worker's ASSETS binding: the client's files only. */
export class Assets extends WorkerEntrypoint {
  async fetch(request) {
    return (await asset(this.env.SELF_HOST_FILES, rulesOf(this.env), request)) ?? new Response("Not Found", { status: 404 });
  }
}

export default {
  async fetch(request, env, ctx) {
    const rules = rulesOf(env);
    const headers = new Headers(request.headers);
    // Behind a reverse proxy, the client's address comes from the header it names; otherwise nobody may claim one.
    const forwarded = rules.clientIpHeader ? request.headers.get(rules.clientIpHeader)?.split(",").pop()?.trim() : undefined;
    headers.delete("CF-Connecting-IP");
    if (forwarded) headers.set("CF-Connecting-IP", forwarded);
    const forward = new Request(request, { headers });
    const path = new URL(request.url).pathname;
    if (!rules.workerFirst.some((pattern) => matches(pattern, path))) {
      const file = await asset(env.SELF_HOST_FILES, rules, forward);
      if (file) return file;
    }
    return worker.fetch(forward, workerEnv(env), ctx);
  },
};
