// npm run size: builds what `wrangler deploy --env production` would upload, without uploading, and prints its sizes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface Sizes {
  /** The Worker's bundle (wrangler's esbuild output), in bytes. */
  readonly worker: { readonly bytes: number; readonly gzip: number; readonly lines: number };
  /** Each page's script in client/dist, in bytes. */
  readonly demo: { readonly bytes: number; readonly gzip: number };
  readonly inspector: { readonly bytes: number; readonly gzip: number };
  /** Source maps in client/dist, which Static Assets would serve to anyone: none, or a build leaked them. */
  readonly publicMaps: readonly string[];
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

const measure = (path: string) => {
  const bytes = readFileSync(path);
  return { bytes: bytes.length, gzip: gzipSync(bytes).length };
};

export function measureSizes(): Sizes {
  const out = mkdtempSync(join(tmpdir(), "worker-bundle-"));
  try {
    // --dry-run runs the [build] command and bundles exactly as a deploy does, then stops before uploading.
    execFileSync(process.execPath, [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--env", "production", "--outdir", out], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    const worker = readFileSync(join(out, "index.js"), "utf8");
    const dist = join(ROOT, "client/dist");
    return {
      worker: { ...measure(join(out, "index.js")), lines: worker.split("\n").length },
      demo: measure(join(dist, "main.js")),
      inspector: measure(join(dist, "inspect/main.js")),
      publicMaps: filesUnder(dist).filter((file) => file.endsWith(".map")).map((file) => relative(ROOT, file)),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = measureSizes();
  if (process.argv.includes("--json")) console.log(JSON.stringify(sizes));
  else {
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    for (const [name, size] of [["Worker (minified)", sizes.worker], ["demo page script", sizes.demo], ["inspector page script", sizes.inspector]] as const) {
      console.log(`${name.padEnd(24)} ${kib(size.bytes).padStart(10)}   gzip ${kib(size.gzip).padStart(9)}`);
    }
    console.log(`public source maps       ${sizes.publicMaps.length === 0 ? "none" : sizes.publicMaps.join(", ")}`);
  }
}
