// Credentials per operation, as the spec's `security` names them: the fake's API key in
// X-API-KEY, or a session token it minted as a Bearer; anything else is a 401. Public
// operations take none.
import { expect, test } from "vitest";
import { operations, type OperationKey } from "../../src/index.ts";
import { AVATAR_ID, send, useFake } from "./helpers.ts";

const { server } = useFake({ apiKey: "my-key" });

const keys = Object.keys(operations) as OperationKey[];
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
const accepts = (key: OperationKey, scheme: string) => operations[key].security.some(([s]) => s === scheme);

async function mintedToken(): Promise<string> {
  const minted = await send(server().url, "POST", "/v1/sessions/token", {
    headers: { "x-api-key": "my-key" },
    body: { mode: "LITE", avatar_id: AVATAR_ID },
  });
  return minted.body.data.session_token;
}

test.each(keys)("%s: 401 without a credential, with a wrong key or a token it never minted", async (key) => {
  const { method, path } = operations[key];
  const status = async (headers: Record<string, string>) =>
    (await send(server().url, method, concrete(path), { headers })).status;
  const isPublic = operations[key].security.length === 0;
  const attempts: Record<string, string>[] = [
    {},
    { "x-api-key": "wrong-key" },
    { authorization: "Bearer never-minted" },
  ];
  for (const headers of attempts) {
    if (isPublic) expect(await status(headers)).not.toBe(401);
    else expect(await status(headers)).toBe(401);
  }
});

test.each(keys)("%s: the credentials its security names get past auth, and are recorded", async (key) => {
  const { method, path } = operations[key];
  const token = await mintedToken();
  const tries: [string, Record<string, string>][] = [
    ["apiKey", { "x-api-key": "my-key" }],
    ["sessionToken", { authorization: `Bearer ${token}` }],
  ];
  for (const [credential, headers] of tries) {
    const isPublic = operations[key].security.length === 0;
    const accepted = isPublic || accepts(key, credential === "apiKey" ? "APIKeyHeader" : "HTTPBearer");
    const { status } = await send(server().url, method, concrete(path), { headers });
    expect(status === 401, `${credential} on ${key}: ${status}`).toBe(!accepted);
  }
  // The last two calls are ours (minting the token was a call too).
  const calls = server().calls(key).slice(-2);
  expect(calls.map((c) => c.credential)).toEqual(["apiKey", "sessionToken"]);
});

test("a 401 says which credential would do, and never echoes the one sent", async () => {
  const { status, body } = await send(server().url, "GET", "/v1/avatars", {
    headers: { "x-api-key": "sk-secret-123" },
  });
  expect(status).toBe(401);
  expect(body.message).toContain("X-API-KEY");
  expect(JSON.stringify(body)).not.toContain("sk-secret-123");
});
