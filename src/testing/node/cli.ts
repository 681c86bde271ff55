#!/usr/bin/env node
// `npx liveavatar-api fake [--port N] [--seed FILE] [--lite]`: the fake LiveAvatar API from a
// terminal. It stops on Ctrl-C / SIGTERM, and also when whoever started it goes away (its stdin
// pipe closes, or its parent exits), so a test runner that dies leaves no server behind.
import { fstatSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { messageOf } from "../../guards.js";
import type { Fixtures } from "../types.js";
import { parseCommandLine, type RunArgs } from "./cli-args.js";
import { CONTROL_PREFIX, startFakeServer } from "./server.js";

interface SeedFile extends Fixtures {
  seed?: number | undefined;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, version());
  if (parsed.kind === "exit") {
    if (parsed.stdout) console.log(parsed.stdout);
    if (parsed.stderr) console.error(parsed.stderr);
    return parsed.code;
  }
  return run(parsed.args);
}

async function run(args: RunArgs): Promise<number> {
  let seedFile: SeedFile = {};
  if (args.seedFile !== undefined) {
    try {
      seedFile = JSON.parse(await readFile(args.seedFile, "utf8")) as SeedFile;
    } catch (error) {
      console.error(`cannot read --seed ${args.seedFile}: ${(error as Error).message}`);
      return 2;
    }
  }
  const { seed, ...fixtures } = seedFile;
  const server = await startFakeServer({
    port: args.port,
    seed,
    fixtures,
    apiKey: args.apiKey,
    successCode: args.successCode,
    lite: args.lite,
  });
  console.log(`LiveAvatar fake listening on ${server.url}`);
  console.log(`  X-API-KEY: ${server.apiKey}`);
  console.log(`  session tokens: mint one with POST ${server.url}/v1/sessions/token`);
  if (server.lite) console.log(`  LITE fake: ${server.lite.url} (started LITE sessions get their ws_url here)`);
  console.log(`  control: POST ${CONTROL_PREFIX}/reset, GET ${CONTROL_PREFIX}/calls, POST ${CONTROL_PREFIX}/inject`);
  const reason = await untilStopped();
  if (reason !== "signal") console.error(`liveavatar-api fake: stopping (${reason})`);
  await server.close();
  return 0;
}

/** Resolves on SIGINT/SIGTERM/SIGHUP, at the end of a piped stdin, or when the parent process exits. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => resolve("signal"));
    // A pipe or socket only: a terminal, /dev/null (a background job) or a file says nothing about the parent.
    if (stdinIsPipe()) {
      process.stdin.on("data", () => {});
      process.stdin.once("end", () => resolve("stdin closed"));
      process.stdin.once("error", () => resolve("stdin closed"));
    }
    // An orphan is re-parented (to init or a subreaper): its parent id changes.
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent) resolve("parent exited");
    }, 500);
    watch.unref();
  });
}

function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** This package's version, from its package.json (found upwards from this file, built or not). */
function version(): string {
  let dir = dirname(typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "liveavatar-api" && pkg.version) return pkg.version;
    } catch {
      // No package.json here: look further up.
    }
  }
  return "unknown";
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`liveavatar-api fake: ${messageOf(error)}`);
    process.exit(1);
  },
);
