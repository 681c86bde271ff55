// The testing entry as users get it: the packed tarball installed into a scratch project
// without MSW (an optional peer), imported from ESM and CommonJS, its bin run with npx.
import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { packedPackage, removeProject, scratchProject } from "../package/pack.ts";

const run = promisify(execFile);
let project: string;

beforeAll(async () => {
  project = await scratchProject("testing-entry", {
    "package.json": JSON.stringify({ name: "uses-testing", private: true, type: "module" }),
    "esm.mjs": `
      import { LiveAvatar, LiveAvatarError } from "liveavatar-api";
      import { startFakeServer, FakeConfigError } from "liveavatar-api/testing";
      const mock = await startFakeServer();
      const client = new LiveAvatar({ baseUrl: mock.url, apiKey: mock.apiKey, maxRetries: 0 });
      mock.inject("GET /v1/avatars", { status: 503 });
      const failed = await client.GET("/v1/avatars").catch((e) => e.status);
      const page = await client.GET("/v1/avatars");
      let sameClass = false;
      try { mock.inject("GET /nope", {}); } catch (e) { sameClass = e instanceof FakeConfigError && e instanceof LiveAvatarError; }
      await mock.close();
      console.log(JSON.stringify({ failed, count: page.count, sameClass }));`,
    "cjs.cjs": `
      const { startFakeServer } = require("liveavatar-api/testing");
      const spec = require("liveavatar-api/openapi.json");
      startFakeServer().then(async (mock) => {
        const r = await fetch(mock.url + "/v1/languages");
        await mock.close();
        console.log(JSON.stringify({ status: r.status, paths: Object.keys(spec.paths).length }));
      });`,
  });
}, 240_000);
afterAll(() => removeProject(project));

test("the tarball ships the testing entry, the CLI and openapi.json", async () => {
  const { files } = await packedPackage();
  expect(files).toEqual(
    expect.arrayContaining([
      "openapi.json",
      "dist/testing/index.js",
      "dist/testing/index.cjs",
      "dist/testing/msw.js",
      "dist/testing/cli.js",
    ]),
  );
});

test("ESM: a fault, then success; one LiveAvatarError class across entries; no MSW installed", async () => {
  const { stdout } = await run(process.execPath, ["esm.mjs"], { cwd: project });
  expect(JSON.parse(stdout)).toEqual({ failed: 503, count: 3, sameClass: true });
  await expect(run(process.execPath, ["-e", "require.resolve('msw')"], { cwd: project })).rejects.toThrow();
});

test("CommonJS: require the testing entry and the spec", async () => {
  const { stdout } = await run(process.execPath, ["cjs.cjs"], { cwd: project });
  const spec = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "openapi.json"), "utf8"));
  expect(JSON.parse(stdout)).toEqual({ status: 200, paths: Object.keys(spec.paths).length });
});

test("npx liveavatar-api fake starts the server; stopping its process group leaves no process or port", async () => {
  // Its own process group (npx, the shell npm runs the bin with, the server), stopped as a whole:
  // a SIGTERM to npx alone would leave the server running, re-parented to init.
  const child = spawn("npx", ["--no-install", "liveavatar-api", "fake"], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  let url = "";
  try {
    // Wait for the line after the URL's, so that the URL line is complete.
    await expect.poll(() => output, { timeout: 20_000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\n.*X-API-KEY/);
    url = /listening on (\S+)/.exec(output)![1]!;
    expect((await fetch(`${url}/v1/languages`)).status).toBe(200);
  } finally {
    process.kill(-child.pid!, "SIGTERM");
  }
  await expect.poll(() => groupMembers(child.pid!), { timeout: 15_000 }).toEqual([]);
  await expect(fetch(`${url}/v1/languages`)).rejects.toThrow();
});

/** Live (not zombie) processes of a process group, from /proc. */
function groupMembers(group: number): string[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // "pid (comm) state ppid pgrp ...": split after the command name, which may hold spaces.
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return Number(fields[2]) === group && fields[0] !== "Z" ? [pid] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}
