// `npm run demo` is the front door: it must keep walking the whole flow, offline, on the package's
// own stateful fake, and what it prints must hang together (the session started is the one the
// token was minted for; a deleted memory is gone from the next list).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { ROOT } from "./support/spec.ts";

test("npm run demo walks the flow on the package's fake, with consistent data", async () => {
  const env = { ...process.env };
  delete env.LIVEAVATAR_API_KEY;
  delete env.LIVEAVATAR_BASE_URL;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: ROOT,
    env,
  });
  expect(stdout).toMatch(
    /^LiveAvatar client demo against the package's own fake of the API at http:\/\/127\.0\.0\.1:\d+$/m,
  );
  for (const line of [
    'data (envelope code 1000): {"credits_left":"1250"}',
    "-> GET /v1/avatars?page_size=2&page=2  [X-API-KEY]",
    "Ava, product specialist  (ACTIVE)",
    "Marcus, support agent  (ACTIVE)",
    "Lena, onboarding coach  (ACTIVE)",
    "mint a short-lived session token for Ava, product specialist",
    "-> POST /v1/sessions/token  [X-API-KEY]",
    "-> POST /v1/sessions/start  [Authorization: Bearer <session token>]",
    "-> POST /v1/sessions/keep-alive  [Authorization: Bearer <session token>]",
    "-> POST /v1/sessions/stop  [Authorization: Bearer <session token>]",
    "the fake recorded: POST /v1/sessions/start 201, POST /v1/sessions/keep-alive 200, POST /v1/sessions/stop 200",
    "<- 204 No Content",
    "MissingCredentialError",
    "a LITE conversation with Ava, product specialist",
    "the avatar finished it",
    "interrupted: speech",
    "stopped: socket closed, session stopped once",
    "Done.",
  ]) {
    expect(stdout).toContain(line);
  }
  // Step 4 calls stop() twice; the second sends nothing.
  expect(stdout.match(/-> POST \/v1\/sessions\/stop/g)).toHaveLength(1);

  // The session the browser started is the one the backend minted the token for.
  const minted = /data: \{"session_id":"([^"]+)","session_token"/.exec(stdout)?.[1];
  const started = /started: \{"session_id":"([^"]+)"/.exec(stdout)?.[1];
  expect(minted).toMatch(/^[0-9a-f-]{36}$/);
  expect(started).toBe(minted);
  // State carries from call to call: the memory deleted is not in the list that follows.
  const [, count, deleted] = /(\d+) memories; deleting (\S+)/.exec(stdout) ?? [];
  const [, left, remaining] = /(\d+) memory left: (.+)$/m.exec(stdout) ?? [];
  expect(Number(left)).toBe(Number(count) - 1);
  expect(remaining!.split(", ")).not.toContain(deleted);
  // Nothing from the contract mock's placeholders, and no secret printed.
  expect(stdout).not.toMatch(/"string"|Prism/);
  expect(stdout).not.toMatch(/ws:\/\//);
}, 60_000);
