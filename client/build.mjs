// Bundles the demo and the dev inspector (each with the SDK it uses) into client/dist for Workers Static Assets; wrangler runs it.
import { build } from "esbuild";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";

const out = new URL("./dist/", import.meta.url);
// wrangler names the command that runs this build. Source maps only under `wrangler dev`, since all of
// dist/ is public once deployed; any other build starts from an empty dist/, so no dev map is deployed.
const dev = process.env.WRANGLER_COMMAND === "dev";
if (!dev) await rm(out, { recursive: true, force: true });
// Each page: its entry, where its bundle goes, and the files served as they are, next to the bundle.
const pages = [
  { from: "demo", to: "", statics: ["index.html", "style.css", "favicon.svg"] },
  // Served under /inspect/, which the Worker answers only while the INSPECTOR var is on.
  { from: "inspector", to: "inspect/", statics: ["index.html", "inspector.css"] },
];

for (const page of pages) {
  const dir = new URL(page.to, out);
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: [new URL(`./${page.from}/main.ts`, import.meta.url).pathname],
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: dev,
    outfile: new URL("main.js", dir).pathname,
    logLevel: "warning",
  });
  await Promise.all(page.statics.map((file) => copyFile(new URL(`./${page.from}/${file}`, import.meta.url), new URL(file, dir))));
}

// Workers Static Assets applies _headers to every asset it serves. The pages load only their own bundle and
// styles and talk only to this origin (HTTP and WebSocket); the inspector's roster sets inline style attributes.
const common = [
  "X-Content-Type-Options: nosniff",
  "Referrer-Policy: no-referrer",
  "X-Frame-Options: DENY",
  "Cross-Origin-Opener-Policy: same-origin",
  "Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()",
  "Strict-Transport-Security: max-age=31536000",
];
const policy = (style) =>
  `Content-Security-Policy: default-src 'self'; script-src 'self'; style-src ${style}; img-src 'self' data:; ` +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const inspector = ["! Content-Security-Policy", policy("'self' 'unsafe-inline'")];
const rules = [
  ["/*", [...common, policy("'self'")]],
  ["/inspect", inspector],
  ["/inspect/*", inspector],
];
await writeFile(new URL("_headers", out), rules.map(([path, lines]) => `${path}\n${lines.map((line) => `  ${line}`).join("\n")}\n`).join(""));
