// The README is read on the npm page and in editors, where a relative link to docs/*.md has no
// repository to resolve against. So the guides and the changelog ship in the package, and the
// README links to this version's copies of them on a CDN that serves npm tarballs. Here: every
// such link names the version in package.json and a file that ships, every guide is linked, and
// no relative link to a file is left.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
};
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const PACKAGE_BASE = `https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/`;

/** Reference definitions (`[label]: url`) at the start of a line. */
const definitions = new Map(
  [...readme.matchAll(/^\[([^\]]+)\]:\s+(\S+)\s*$/gm)].map((m) => [m[1]!.toLowerCase(), m[2]!] as const),
);
/** Inline link targets (`[text](target)`), outside code. */
const prose = readme.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
const inlineTargets = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

test("no relative link to a file: the npm page and editors have nothing to resolve it against", () => {
  const relative = [...inlineTargets, ...definitions.values()].filter((t) => !/^(https?:|mailto:|#)/.test(t));
  expect(relative).toEqual([]);
});

test("links into the package name this version and a file that ships in the tarball", () => {
  const intoPackage = [...inlineTargets, ...definitions.values()].filter((t) => t.includes(`/npm/${pkg.name}@`));
  expect(intoPackage.length).toBeGreaterThan(5);
  for (const target of intoPackage) {
    expect(target.startsWith(PACKAGE_BASE), `${target} should start with ${PACKAGE_BASE}`).toBe(true);
    const [path, anchor] = target.slice(PACKAGE_BASE.length).split("#") as [string, string | undefined];
    const file = readFileSync(join(ROOT, path), "utf8");
    expect(
      pkg.files.some((entry) => path === entry || path.startsWith(`${entry}/`)),
      `${path} ships`,
    ).toBe(true);
    if (anchor) expect(headingSlugs(file), `#${anchor} in ${path}`).toContain(anchor);
  }
});

test("every reference a link uses is defined, and every guide in docs/ is linked", () => {
  const used = [...prose.matchAll(/\]\[([^\]]+)\]|(?<![\]\\])\[([^\]]+)\](?![[(:])/g)]
    .map((m) => (m[1] ?? m[2])!)
    .filter((label) => label.includes(".md"));
  expect(used.length).toBeGreaterThan(5);
  for (const label of used) expect(definitions.has(label.toLowerCase()), `[${label}] is defined`).toBe(true);
  const linked = new Set([...definitions.values()].map((t) => t.slice(PACKAGE_BASE.length).split("#")[0]));
  const guides = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`);
  expect(guides.filter((guide) => !linked.has(guide))).toEqual([]);
});

/** GitHub-style anchors of a Markdown file's headings. */
function headingSlugs(markdown: string): string[] {
  return [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/\s/g, "-"),
  );
}
