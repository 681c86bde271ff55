// Cloudflare Workers: bundles worker.mjs as wrangler would, runs it in workerd through
// miniflare and prints what the worker answered. Miniflare needs Node 22 or later.
// Usage: node24 run-workerd.mjs <project dir> <base URL>
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const [dir, baseUrl] = process.argv.slice(2);
const bundle = await build({
  entryPoints: [join(dir, "worker.mjs")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
});
const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: "2025-01-01" });
try {
  const response = await mf.dispatchFetch(`http://worker.test/?base=${encodeURIComponent(baseUrl)}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${text.slice(0, 500)}`);
  console.log(text);
} finally {
  await mf.dispose();
}
