// `npm run build`: ESM and CommonJS, each with its own declarations, from one source.
// generated/ is bundled in. openapi-fetch, the one dependency, is used for its types only (the
// call signatures); the declarations import it, and like every dependency it stays external.
//
// The three entries have one shape: src/realtime and src/testing import what carries identity
// (the error classes, `instanceof` targets, the default base URL) from the package's own name,
// "liveavatar-api", exactly as a user's code does, and that import stays external here. Node and
// bundlers resolve a package's own name, so one copy of the core serves every entry. Pure helpers
// (src/guards.ts, src/log.ts) are relative imports, bundled into each entry that uses them.
import { defineConfig, type Options } from "tsup";

const shared = {
  format: ["esm", "cjs"],
  // LiveAvatarSession implements `AsyncDisposable` (`await using`). The reference puts that type
  // and `Symbol.asyncDispose` in scope for consumers whose `lib` lacks ESNext.Disposable and who
  // have no @types/node (a typical browser project with skipLibCheck off). It has to be a banner:
  // the declaration bundler drops `/// <reference lib>` directives written in the sources.
  dts: { banner: '/// <reference lib="esnext.disposable" />' },
  tsconfig: "tsconfig.build.json",
  target: "es2022",
  platform: "neutral",
  outDir: "dist",
  // Unminified and readable: stack traces point at real code without shipping source maps.
  sourcemap: false,
  splitting: false,
  treeshake: false,
  /** The core, imported by name from the other entries (see the top of this file). */
  external: ["liveavatar-api"],
} satisfies Options;

export default defineConfig([
  {
    ...shared,
    entry: {
      index: "src/index.ts",
      // `liveavatar-api/schema`: the raw `paths`/`components`/`operations` types from openapi-typescript.
      schema: "generated/schema.ts",
    },
    clean: true,
  },
  {
    ...shared,
    // `liveavatar-api/realtime`: the LITE WebSocket client and the asyncapi.yaml event types. A build
    // of its own, so its declarations are one file and share no chunk with the core's.
    entry: { realtime: "src/realtime/index.ts" },
    clean: false,
  },
  {
    ...shared,
    // `liveavatar-api/drift`: REST answers and realtime events checked against the vendored specs.
    // No Node imports; nothing of it reaches the core unless a caller imports it.
    entry: { drift: "src/drift/index.ts" },
    clean: false,
  },
  {
    ...shared,
    // `liveavatar-api/testing` (Node: the fake and its HTTP server), `.../testing/msw` (no Node
    // imports), and the `liveavatar-api fake` command.
    entry: {
      "testing/index": "src/testing/index.ts",
      "testing/msw": "src/testing/msw.ts",
      "testing/cli": "src/testing/node/cli.ts",
    },
    // tsconfig.build.json proves the core needs no Node types; the testing entry's server does.
    // (The declaration build takes `types` from here: it does not follow a per-build `tsconfig`.)
    tsconfig: "tsconfig.testing.json",
    dts: { compilerOptions: { types: ["node"] } },
    external: ["liveavatar-api", "node:*", "msw", "ws"],
    clean: false,
  },
]);
