// `liveavatar-api fake`: the fake from a terminal. Started as a child process, it prints its URL
// and the credentials it accepts, serves the seed file's fixtures, refuses bad arguments saying
// what was given, and stops on SIGTERM, at the end of a piped stdin, or when its parent exits.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { LiveAvatar } from "../../src/index.ts";
import { parseCommandLine } from "../../src/testing/node/cli-args.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "src", "testing", "node", "cli.ts");
const dir = mkdtempSync(join(tmpdir(), "liveavatar-cli-"));
const spawned: ChildProcess[] = [];
afterAll(() => {
  // A test that failed half-way leaves no server behind.
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function start(
  args: string[],
  stdin: "ignore" | "pipe" = "ignore",
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    stdio: [stdin, "pipe", "pipe"],
  });
  spawned.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(output: () => string, pattern: RegExp, exited: Promise<unknown>): Promise<RegExpMatchArray> {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 300; i++) {
    const found = output().match(pattern);
    if (found) return found;
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in:\n${output()}`);
}

test("fake --seed FILE --api-key: prints URL and key, serves the fixtures, stops on SIGTERM", async () => {
  const seed = join(dir, "seed.json");
  const avatar = { id: "11111111-1111-4111-8111-111111111111", name: "From the seed file" };
  writeFileSync(seed, JSON.stringify({ seed: 7, avatars: [avatar] }));
  const cli = start(["fake", "--port", "0", "--seed", seed, "--api-key", "cli-key"]);
  try {
    // The banner's lines may arrive in separate chunks: wait for its last line, then read it whole.
    await waitFor(cli.output, /control: POST/, cli.exited);
    const [, url] = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.output()) ?? [];
    expect(url).toBeDefined();
    expect(cli.output()).toContain("X-API-KEY: cli-key");
    const answer = await fetch(`${url}/v1/avatars`, { headers: { "x-api-key": "cli-key" } }).then((r) => r.json());
    expect(answer).toMatchObject({ code: 1000, data: { count: 1, results: [avatar] } });
    expect((await fetch(`${url}/v1/avatars`)).status).toBe(401);
  } finally {
    cli.child.kill("SIGTERM");
  }
  expect(await cli.exited).toBe(0);
});

test("bad arguments exit 2, saying what was given, with the usage", () => {
  for (const [args, expected] of [
    [["serve"], /^unknown command "serve"/],
    [[], /^missing command/],
    [["mock", "--port"], /^--port needs a value/],
    [["fake", "--port", "abc"], /^--port must be an integer from 0 to 65535, got "abc"/],
    [["fake", "--port", "99999"], /^--port must be an integer from 0 to 65535, got "99999"/],
    [["fake", "--port", "-1"], /^--port needs a value \(write --port=-\.\.\. for one starting with "-"\)/],
    [["fake", "--port=-1"], /^--port must be an integer from 0 to 65535, got "-1"/],
    [
      ["fake", "--success-code", "200"],
      /^--success-code must be 1000 or 100, the codes the API sends on success, got "200"/,
    ],
    [["fake", "--lite=yes"], /^--lite takes no value/],
    [["fake", "extra"], /^unexpected argument "extra"/],
  ] as const) {
    const parsed = parseCommandLine([...args], "0.0.0");
    expect(parsed, args.join(" ")).toMatchObject({ kind: "exit", code: 2 });
    const { stderr } = parsed as { stderr: string };
    expect(stderr, args.join(" ")).toMatch(expected);
    expect(stderr, args.join(" ")).toContain("\n\nusage: liveavatar-api fake");
  }
  expect(parseCommandLine(["mock", "--success-code", "100", "--port", "4010"], "0.0.0")).toMatchObject({
    kind: "run",
    args: { port: 4010, successCode: 100, lite: false },
  });
});

test("from the terminal: a misspelt option or command exits 2 with the message and the usage", async () => {
  for (const [args, expected] of [
    [["fake", "--prot", "4010"], /^unknown option --prot\n\nusage: liveavatar-api fake/],
    [["mokc"], /^unknown command "mokc" \(the command is fake\)\n\nusage: liveavatar-api fake/],
    [["fake", "--seed", join(dir, "missing.json")], /^cannot read --seed/],
  ] as const) {
    const cli = start([...args]);
    expect(await cli.exited, args.join(" ")).toBe(2);
    expect(cli.output(), args.join(" ")).toMatch(expected);
  }
});

test("--version prints the package's version", async () => {
  const cli = start(["--version"]);
  expect(await cli.exited).toBe(0);
  expect(cli.output().trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
});

test("mock --lite (the old name) also starts the LITE fake and prints its URL beside the HTTP one", async () => {
  const cli = start(["mock", "--lite", "--success-code", "100"]);
  try {
    await waitFor(cli.output, /control: POST/, cli.exited);
    const url = /listening on (http:\S+)/.exec(cli.output())![1]!;
    const liteUrl = /LITE fake: (ws:\/\/127\.0\.0\.1:\d+)/.exec(cli.output())![1]!;
    const backend = new LiveAvatar({ baseUrl: url, apiKey: "test-api-key" });
    const { session_token } = await backend.POST("/v1/sessions/token", {
      body: { mode: "LITE", avatar_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" },
    });
    const agent = new LiveAvatar({ baseUrl: url, apiKey: null, sessionToken: session_token });
    const { ws_url } = await agent.POST("/v1/sessions/start");
    expect(ws_url).toMatch(new RegExp(`^${liteUrl}/v1/lite/`));
    const raw = await fetch(`${url}/v1/languages`, { headers: { "x-api-key": "test-api-key" } });
    expect(((await raw.json()) as { code: number }).code).toBe(100);
  } finally {
    cli.child.kill("SIGTERM");
  }
  expect(await cli.exited).toBe(0);
});

test("the fake exits when its stdin pipe closes, and stops listening", async () => {
  const cli = start(["fake"], "pipe");
  await waitFor(cli.output, /control: POST/, cli.exited);
  const url = /listening on (http:\S+)/.exec(cli.output())![1]!;
  cli.child.stdin!.end();
  expect(await cli.exited).toBe(0);
  expect(cli.output()).toContain("stopping (stdin closed)");
  await expect(fetch(`${url}/v1/languages`)).rejects.toThrow();
});

test("the fake exits when its parent process goes away", async () => {
  // A parent that starts the CLI (stdin not a pipe, so only the parent watch can stop it), prints
  // the CLI's pid, and is then killed without a chance to clean up.
  const parentScript = `
    const { spawn } = require("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", ${JSON.stringify(CLI)}, "fake"], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (d) => process.stdout.write(d));
    process.stdout.write("child " + child.pid + "\\n");`;
  const parent = spawn(process.execPath, ["-e", parentScript], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  spawned.push(parent);
  let output = "";
  parent.stdout.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => parent.once("exit", resolve));
  await waitFor(() => output, /control: POST/, exited);
  const pid = Number(/child (\d+)/.exec(output)![1]);
  parent.kill("SIGKILL");
  await exited;
  // Waits for the orphan to notice (it checks twice a second); fails if it never does.
  try {
    await expect.poll(() => isAlive(pid), { timeout: 15_000, interval: 100 }).toBe(false);
  } finally {
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
