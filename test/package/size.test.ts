// The size budget for what an application bundles: `import { LiveAvatar } from "liveavatar-api"`,
// minified and gzipped, measured from the sources and from the packed ESM build.
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { measureBundleSize, SIZE_BUDGET_GZIP_BYTES } from "../../scripts/lib/bundle-size.ts";
import { removeProject, scratchProject } from "./pack.ts";

let project: string | undefined;
afterAll(() => removeProject(project));

test("the client stays within the gzip budget, with no openapi-fetch runtime in it (its types only)", async () => {
  const size = await measureBundleSize();
  expect(size.gzip).toBeLessThanOrEqual(SIZE_BUDGET_GZIP_BYTES);
  expect(size.gzip).toBeLessThan(size.minified);
  const paths = size.inputs.map((input) => input.path);
  expect(paths).toContain("src/client.ts");
  expect(paths.filter((path) => path.includes("openapi-fetch"))).toEqual([]);
  expect(size.inputs.reduce((sum, input) => sum + input.bytes, 0)).toBeLessThanOrEqual(size.minified);
});

test("importing only an error class leaves the client and openapi-fetch out (tree-shaking)", async () => {
  const size = await measureBundleSize({ imports: ["NotFoundError"] });
  const paths = size.inputs.map((input) => input.path);
  expect(paths).toContain("src/errors.ts");
  expect(paths).not.toContain("src/client.ts");
  expect(paths.filter((path) => path.includes("openapi-fetch"))).toEqual([]);
});

test("the packed ESM build bundles to the same size as the sources", async () => {
  project = await scratchProject("size", { "package.json": JSON.stringify({ name: "size", private: true }) });
  const fromSource = await measureBundleSize();
  const fromPackage = await measureBundleSize({
    packageEntry: join(project, "node_modules", "liveavatar-api", "dist", "index.js"),
  });
  expect(fromPackage.gzip).toBeLessThanOrEqual(SIZE_BUDGET_GZIP_BYTES);
  expect(Math.abs(fromPackage.gzip - fromSource.gzip)).toBeLessThan(fromSource.gzip * 0.05);
  expect(fromPackage.inputs.map((input) => input.path)).toEqual(
    expect.arrayContaining([expect.stringMatching(/liveavatar-api\/dist\/index\.js$/)]),
  );
}, 180_000);
