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

export default defineConfig({
  entry: {
    index: "src/index.ts",
    // `liveavatar-api/schema`: the raw `paths`/`components`/`operations` types from openapi-typescript.
    schema: "generated/schema.ts",
  },
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
  clean: true,
  // Unminified and readable: stack traces point at real code without shipping source maps.
  sourcemap: false,
  splitting: false,
  treeshake: false,
  // openapi-fetch stays external: the plugin resolves it (tsup's own externals would claim it first).
  noExternal: ["openapi-fetch"],
  esbuildPlugins: [openapiFetchInterop],
});
