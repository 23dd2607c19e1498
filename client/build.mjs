// Bundles the demo and the dev inspector (each with the SDK it uses) into client/dist for Workers Static Assets; wrangler runs it.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

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
