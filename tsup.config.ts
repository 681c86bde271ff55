// `npm run build`: ESM and CommonJS, each with its own declarations, from one source.
// generated/ is bundled in; openapi-fetch (the one runtime dependency, used for its request
// serialisers and its types) stays external, as every dependency does with tsup.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    // `liveavatar-api/schema`: the raw `paths`/`components`/`operations` types from openapi-typescript.
    schema: "generated/schema.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  tsconfig: "tsconfig.build.json",
  target: "es2022",
  platform: "neutral",
  outDir: "dist",
  clean: true,
  // Unminified and readable: stack traces point at real code without shipping source maps.
  sourcemap: false,
  splitting: false,
  treeshake: false,
});
