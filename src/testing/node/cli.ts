#!/usr/bin/env node
// `npx liveavatar-api mock [--port N] [--seed FILE]`: the fake LiveAvatar API from a terminal.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { startMockServer } from "./server.js";
import { CONTROL_PREFIX } from "./server.js";
import { messageOf } from "../../guards.js";
import type { Fixtures } from "../types.js";

const USAGE = `usage: liveavatar-api mock [--port N] [--seed FILE] [--api-key KEY] [--success-code 100|1000]

Starts a stateful fake of the LiveAvatar API on 127.0.0.1 and prints its URL and the API key it
accepts. --seed FILE is JSON: fixtures ({"avatars": [...], "sessions": [...], ...}), optionally
with "seed" (a number for the generated data). Ctrl-C stops it.`;

interface SeedFile extends Fixtures {
  seed?: number;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        seed: { type: "string" },
        "api-key": { type: "string" },
        "success-code": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] !== "mock" || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  let seedFile: SeedFile = {};
  if (values.seed !== undefined) {
    try {
      seedFile = JSON.parse(await readFile(values.seed, "utf8")) as SeedFile;
    } catch (error) {
      console.error(`cannot read --seed ${values.seed}: ${(error as Error).message}`);
      return 2;
    }
  }
  const { seed, ...fixtures } = seedFile;
  const server = await startMockServer({
    port,
    seed,
    fixtures,
    apiKey: values["api-key"],
    successCode: values["success-code"] === undefined ? undefined : Number(values["success-code"]),
  });
  console.log(`LiveAvatar mock listening on ${server.url}`);
  console.log(`  X-API-KEY: ${server.apiKey}`);
  console.log(`  session tokens: mint one with POST ${server.url}/v1/sessions/token`);
  console.log(`  control: POST ${CONTROL_PREFIX}/reset, GET ${CONTROL_PREFIX}/calls, POST ${CONTROL_PREFIX}/inject`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`liveavatar-api mock: ${messageOf(error)}`);
    process.exit(1);
  },
);
