import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Suites that talk to the contract server (Prism, or LIVEAVATAR_CONTRACT_URL): only they start it. */
const CONTRACT = [
  "test/contract/**/*.test.ts",
  "test/browser/**/*.test.ts",
  "test/package/consumers.test.ts",
  "test/package/runtimes.test.ts",
  "test/examples.test.ts",
];

/**
 * Suites whose result does not depend on the Node that runs them: code generation, the change
 * report, packaging and its type checks, the docs' code blocks, the bench, the CI files, and the runtime matrix
 * (which runs the tarball under Node 22 and 24 itself). `.ci/run` runs them once, on Node 20, and
 * sets LIVEAVATAR_NODE_MATRIX=1 when it runs the rest again on Node 22 and 24.
 */
const NODE_INDEPENDENT = [
  "test/generate.test.ts",
  "test/spec/**",
  "test/bench.test.ts",
  "test/docs/**",
  "test/types/**",
  "test/live/**",
  "test/realtime/spec.test.ts",
  "test/package/**",
  "test/testing/package.test.ts",
  "test/ci.test.ts",
];
const matrixOnly = process.env.LIVEAVATAR_NODE_MATRIX === "1" ? NODE_INDEPENDENT : [];

export default defineConfig({
  resolve: {
    // src/realtime and src/testing import the core by the package's name (tsconfig.json `paths`).
    alias: [{ find: /^liveavatar-api$/, replacement: fileURLToPath(new URL("src/index.ts", import.meta.url)) }],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "contract",
          include: CONTRACT,
          exclude: matrixOnly,
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
      {
        extends: true,
        // Everything else runs against servers it scripts itself (or none).
        test: {
          name: "local",
          include: ["test/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...CONTRACT, ...matrixOnly],
        },
      },
    ],
  },
});
