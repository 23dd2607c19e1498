// Bundles the demo (and the SDK it uses) into client/dist for Workers Static Assets; wrangler runs it.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";

const out = new URL("./dist/", import.meta.url);
// Served as they are, next to the bundle.
const statics = ["index.html", "style.css", "favicon.svg"];

await mkdir(out, { recursive: true });
await build({
  entryPoints: [new URL("./demo/main.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outfile: new URL("main.js", out).pathname,
  logLevel: "warning",
});
await Promise.all(statics.map((file) => copyFile(new URL(`./demo/${file}`, import.meta.url), new URL(file, out))));
