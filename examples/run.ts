// npm run example -- <name>       e.g. npm run example -- list-avatars
// Runs examples/<name>.ts against a Prism mock of openapi.json started for the run, or, when
// LIVEAVATAR_BASE_URL is set, against that server (with your LIVEAVATAR_API_KEY):
//   LIVEAVATAR_BASE_URL=https://api.liveavatar.com LIVEAVATAR_API_KEY=... npm run example -- list-avatars
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startPrism, type PrismServer } from "../scripts/lib/prism.ts";

const DIR = import.meta.dirname;
const examples = readdirSync(DIR)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -3));

const name = process.argv[2]?.replace(/\.ts$/, "");
if (!name || !existsSync(join(DIR, `${name}.ts`))) {
  console.error(`usage: npm run example -- <name>\nexamples: ${examples.join(", ")}`);
  process.exit(2);
}

let prism: PrismServer | undefined;
const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: join(DIR, "tsconfig.json") };
if (!env.LIVEAVATAR_BASE_URL) {
  prism = await startPrism({ spec: join(DIR, "..", "openapi.json") });
  env.LIVEAVATAR_BASE_URL = prism.url;
  // The mock accepts any key; a real one never goes to the mock.
  env.LIVEAVATAR_API_KEY = "example-api-key";
  console.log(`(against a Prism mock of openapi.json at ${prism.url})\n`);
}
try {
  const child = spawn(process.execPath, ["--import", "tsx", join(DIR, `${name}.ts`)], { env, stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  process.exitCode = code ?? 1;
} finally {
  await prism?.stop();
}
