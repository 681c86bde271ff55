import { defineConfig } from "vitest/config";

/** Suites that talk to the contract server (Prism, or LIVEAVATAR_CONTRACT_URL): only they start it. */
const CONTRACT = [
  "test/contract/**/*.test.ts",
  "test/browser/**/*.test.ts",
  "test/package/consumers.test.ts",
  "test/examples.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "contract", include: CONTRACT, globalSetup: ["test/support/global-setup.ts"] },
      },
      {
        extends: true,
        // Everything else runs against servers it scripts itself (or none).
        test: { name: "local", include: ["test/**/*.test.ts"], exclude: ["**/node_modules/**", ...CONTRACT] },
      },
    ],
  },
});
