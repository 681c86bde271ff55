// The Vercel edge runtime (edge-runtime, the sandbox `vercel dev` uses): bundles the consumer as
// an edge deployment would be bundled, evaluates it in an EdgeRuntime and prints the result.
// Usage: node run-edge.mjs <project dir> <base URL>
import { join } from "node:path";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";

const [dir, baseUrl] = process.argv.slice(2);
const bundle = await build({
  entryPoints: [join(dir, "consumer.mjs")],
  bundle: true,
  write: false,
  format: "iife",
  globalName: "consumer",
  platform: "browser",
  conditions: ["edge-light", "worker", "browser"],
  target: "es2022",
});
const runtime = new EdgeRuntime({ initialCode: bundle.outputFiles[0].text });
console.log(JSON.stringify(await runtime.evaluate(`consumer.call(${JSON.stringify(baseUrl)})`)));
