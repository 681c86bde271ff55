// `npm run demo` is the front door: it must keep walking the whole flow against the mock.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { ROOT } from "./support/spec.ts";

test("npm run demo walks the flow against a Prism mock it starts and stops", async () => {
  const env = { ...process.env };
  delete env.LIVEAVATAR_API_KEY;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: ROOT,
    env,
  });
  for (const line of [
    "-> GET /v1/users/credits  [X-API-KEY]",
    "-> GET /v1/avatars?page_size=2&page=2  [X-API-KEY]",
    "-> POST /v1/sessions/token  [X-API-KEY]",
    "-> POST /v1/sessions/start  [Authorization: Bearer <session token>]",
    "-> POST /v1/sessions/keep-alive  [Authorization: Bearer <session token>]",
    "-> POST /v1/sessions/stop  [Authorization: Bearer <session token>]",
    "<- 204 No Content",
    "MissingCredentialError",
    "the avatar finished it",
    "interrupted: speech",
    "stopped: socket closed, session stopped once",
    "Done.",
  ]) {
    expect(stdout).toContain(line);
  }
  expect(stdout.match(/-> POST \/v1\/sessions\/stop/g)).toHaveLength(1);
}, 60_000);
