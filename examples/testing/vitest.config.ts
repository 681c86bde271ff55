// The testing recipes (docs/testing.md) run as a user's own Vitest suite would, with the package
// names mapped to the sources. test/testing/recipes.test.ts runs this suite.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^liveavatar-api\/testing\/msw$/, replacement: src("testing/msw.ts") },
      { find: /^liveavatar-api\/testing$/, replacement: src("testing/index.ts") },
      { find: /^liveavatar-api$/, replacement: src("index.ts") },
    ],
  },
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.test.ts"],
    testTimeout: 30_000,
  },
});
