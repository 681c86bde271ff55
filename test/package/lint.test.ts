// The packed tarball as a registry would receive it: only the build, the guides and the changelog
// in it (the README's links point at them, see test/docs/links.test.ts), and no problem reported
// by publint or Are the Types Wrong.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, test } from "vitest";
import { lintTarball } from "../../scripts/check-package.ts";
import { packedPackage, ROOT, type Packed } from "./pack.ts";

let packed: Packed;

beforeAll(async () => {
  packed = await packedPackage();
}, 180_000);

test("the tarball holds the builds, their declarations, the readme, the guides, the changelog and package.json, nothing else", () => {
  const expected = ["index", "schema", "realtime", "drift", "testing/index", "testing/msw", "testing/cli"].flatMap(
    (entry) => [".js", ".cjs", ".d.ts", ".d.cts"].map((extension) => `dist/${entry}${extension}`),
  );
  // Declarations shared by several entries live in one hashed chunk each (e.g. dist/errors-<hash>.d.ts).
  const isSharedDeclaration = (file: string) => /^dist\/[\w-]+-[\w-]{8}\.d\.c?ts$/.test(file);
  const other = packed.files.filter((file) => !file.startsWith("dist/"));
  const built = packed.files.filter((file) => file.startsWith("dist/") && !isSharedDeclaration(file));
  expect(built.sort()).toEqual(expected.sort());
  // openapi.json ships for users' own tools (`liveavatar-api/openapi.json`); every guide ships.
  const guides = readdirSync(join(ROOT, "docs")).map((file) => `docs/${file}`);
  expect(guides.length).toBeGreaterThan(5);
  const known = /^(README\.md|CHANGELOG\.md|LICENSE|package\.json|openapi\.json)$/;
  expect(other.filter((file) => !known.test(file) && !guides.includes(file))).toEqual([]);
  expect(other).toEqual(expect.arrayContaining(["README.md", "CHANGELOG.md", "package.json", ...guides]));
});

test("publint and attw find no problems in the tarball", async () => {
  const reports = await lintTarball(packed.tarball);
  for (const report of reports) expect(report, report.output).toMatchObject({ ok: true });
  expect(reports.map((report) => report.tool)).toEqual(["publint", "attw"]);
}, 60_000);
