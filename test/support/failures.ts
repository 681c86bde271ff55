// What the error tests share: the failure one scripted answer produces, the kind of page a
// proxy sends, and the rule that messages stay one short line.
import { expect } from "vitest";
import { CALLS, type ScriptedCall } from "./calls.ts";
import { clientFor, rejectionOf } from "./client.ts";
import type { Reply, Script, ScriptedServer } from "./scripted-server.ts";

/** `failureFor(reply, call?)`: the error `call` (GET /v1/avatars by default) gets for `reply`, with no retries. */
export function failures(serve: (...replies: Script[]) => Promise<ScriptedServer>) {
  return async (reply: Reply, call: ScriptedCall = CALLS.listAvatars): Promise<Error> => {
    const server = await serve(reply);
    return rejectionOf(call.call(clientFor(server.url, { maxRetries: 0, timeout: 10_000 })));
  };
}

export const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center>
</body>
</html>
`;

/** Messages stay one short line, whatever the body was. */
export function expectShortMessage(error: Error): void {
  expect(error.message.length).toBeLessThan(400);
  expect(error.message).not.toContain("\n");
}
