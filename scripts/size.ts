// `npm run size`: the minified + gzipped size of `import { LiveAvatar } from "liveavatar-api"`
// (the facade and its operation table, as a bundler includes it; openapi-fetch is types only), where the bytes come from, and a
// non-zero exit when it is over budget.
import { join } from "node:path";
import { measureBundleSize, SIZE_BUDGET_GZIP_BYTES } from "./lib/bundle-size.ts";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;

const size = await measureBundleSize();
console.log(`import { LiveAvatar } from "liveavatar-api"`);
console.log(`  minified:        ${size.minified} B (${kib(size.minified)})`);
console.log(`  minified + gzip: ${size.gzip} B (${kib(size.gzip)}), budget ${kib(SIZE_BUDGET_GZIP_BYTES)}`);
console.log(`\nminified bytes by input:`);
for (const input of size.inputs) console.log(`  ${String(input.bytes).padStart(7)}  ${input.path}`);
if (size.gzip > SIZE_BUDGET_GZIP_BYTES) {
  console.error(`\nover budget by ${size.gzip - SIZE_BUDGET_GZIP_BYTES} B`);
  process.exitCode = 1;
}

// The realtime entry, for scale: what `liveavatar-api/realtime` costs a page that imports it (the
// core's error classes it imports from "liveavatar-api" are counted here too; in an app that also
// imports the core they are one copy).
const realtime = join(import.meta.dirname, "..", "src", "realtime", "index.ts");
console.log(`\nliveavatar-api/realtime (minified + gzip, error classes included):`);
for (const imports of [["LiteConnection"], ["FullModeConnection"], ["LiteConnection", "FullModeConnection"]]) {
  const part = await measureBundleSize({ imports, from: realtime });
  console.log(`  import { ${imports.join(", ")} }`.padEnd(52) + `${part.gzip} B (${kib(part.gzip)})`);
}

// `liveavatar-api/drift`: what checking answers and events against the specs costs (it bundles
// openapi.json's and asyncapi.yaml's schema tables; the core's error class is counted too).
const drift = join(import.meta.dirname, "..", "src", "drift", "index.ts");
console.log(`\nliveavatar-api/drift (minified + gzip):`);
for (const imports of [["specDrift"], ["eventDrift"], ["specDrift", "eventDrift"]]) {
  const part = await measureBundleSize({ imports, from: drift });
  console.log(`  import { ${imports.join(", ")} }`.padEnd(52) + `${part.gzip} B (${kib(part.gzip)})`);
}
