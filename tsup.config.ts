// `npm run build`: ESM and CommonJS, each with its own declarations, from one source.
// generated/ is bundled in; openapi-fetch (the one runtime dependency) stays external.
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";

/**
 * In the CommonJS build, `import createClient from "openapi-fetch"` must take openapi-fetch's
 * `exports.default`. esbuild applies Node's interop instead (default = the whole `module.exports`)
 * because the importing file sits in a `"type": "module"` package, and `require`-ing consumers
 * would get "createClient is not a function". Routing the import through a module outside any
 * package gives the `__esModule`-aware interop that openapi-fetch's CommonJS build expects.
 */
const openapiFetchInterop: Plugin = {
  name: "openapi-fetch-cjs-interop",
  setup(build) {
    const cjs = build.initialOptions.format === "cjs";
    build.onResolve({ filter: /^openapi-fetch$/ }, (args) =>
      cjs && args.namespace !== "interop"
        ? { path: args.path, namespace: "interop" }
        : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: "interop" }, () => ({
      contents: `import createClient from "openapi-fetch";\nexport default createClient;`,
      loader: "js",
    }));
  },
};

/**
 * The testing entries import the core (`LiveAvatarError`, the default base URL) from the package
 * itself, not from a bundled copy: with one copy of the error classes, `instanceof` holds across
 * `liveavatar-api` and `liveavatar-api/testing`. Node and bundlers resolve a package's own name.
 */
const testingImportsCore: Plugin = {
  name: "testing-imports-core",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      /[\\/]src[\\/]testing[\\/]/.test(args.importer) ? { path: "liveavatar-api", external: true } : undefined,
    );
  },
};

export default defineConfig({
  entry: {
    index: "src/index.ts",
    // `liveavatar-api/schema`: the raw `paths`/`components`/`operations` types from openapi-typescript.
    schema: "generated/schema.ts",
    // `liveavatar-api/testing` (Node: the fake and its HTTP server), `.../testing/msw` (no Node
    // imports), and the `liveavatar-api mock` command.
    "testing/index": "src/testing/index.ts",
    "testing/msw": "src/testing/msw.ts",
    "testing/cli": "src/testing/node/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  // tsconfig.build.json proves the core needs no Node types; the testing entry's server does.
  tsconfig: "tsconfig.testing.json",
  target: "es2022",
  platform: "neutral",
  outDir: "dist",
  clean: true,
  // Unminified and readable: stack traces point at real code without shipping source maps.
  sourcemap: false,
  splitting: false,
  treeshake: false,
  // openapi-fetch stays external: the plugin resolves it (tsup's own externals would claim it first).
  noExternal: ["openapi-fetch"],
  external: ["node:*", "msw"],
  esbuildPlugins: [openapiFetchInterop, testingImportsCore],
});
