// `npm run build`: ESM and CommonJS, each with its own declarations, from one source.
// generated/ is bundled in; openapi-fetch (the one runtime dependency) stays external.
import type { Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";

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
 * The realtime entry throws the core's error classes (LiveAvatarError, APIConnectionError, ...).
 * Bundled into it they would be copies, and `instanceof` against the classes imported from
 * "liveavatar-api" would fail; so its imports of src/errors.ts stay imports of the package itself.
 */
const sharedCoreErrors: Plugin = {
  name: "realtime-shares-core-errors",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/errors\.js$/ }, (args) =>
      /[\\/]src[\\/]realtime[\\/]/.test(args.importer) ? { path: "liveavatar-api", external: true } : undefined,
    );
  },
};

const shared = {
  format: ["esm", "cjs"],
  dts: true,
  tsconfig: "tsconfig.build.json",
  target: "es2022",
  platform: "neutral",
  outDir: "dist",
  // Unminified and readable: stack traces point at real code without shipping source maps.
  sourcemap: false,
  splitting: false,
  treeshake: false,
  // openapi-fetch stays external: the plugin resolves it (tsup's own externals would claim it first).
  noExternal: ["openapi-fetch"],
  esbuildPlugins: [openapiFetchInterop, sharedCoreErrors],
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
]);
