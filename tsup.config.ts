// `npm run build`: ESM and CommonJS, each with its own declarations, from one source.
// generated/ is bundled in. openapi-fetch, the one dependency, is used for its types only (the
// call signatures); the declarations import it, and like every dependency it stays external.
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
