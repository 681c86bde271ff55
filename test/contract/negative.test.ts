// What goes wrong, and how it reaches the caller: credentials missing on either side of the
// wire, and a body the server rejects. Against each contract target (Prism and the fake).
import { beforeEach, describe, expect, test } from "vitest";
import {
  AuthenticationError,
  LiveAvatar,
  MissingCredentialError,
  UnprocessableEntityError,
  APIError,
} from "../../src/index.ts";
import { TEST_API_KEY, TEST_SESSION_TOKEN } from "../support/client.ts";
import { FIXTURE_ID } from "../support/fake-target.ts";
import { observingFetch } from "../support/observe.ts";
import { contractTargets } from "../support/targets.ts";
import { rejectionOf } from "../support/client.ts";

for (const { name, url: contractUrl, reset } of contractTargets) {
  describe(`[${name}]`, () => {
    beforeEach(() => reset());

    test("no credential the operation accepts: MissingCredentialError, and nothing is sent", async () => {
      const { fetch, seen } = observingFetch();
      const anonymous = new LiveAvatar({ baseUrl: contractUrl, apiKey: null, fetch });
      const error = await rejectionOf(anonymous.GET("/v1/avatars"));
      expect(error).toBeInstanceOf(MissingCredentialError);
      expect(error).toMatchObject({
        operation: "GET /v1/avatars",
        operationId: "list_user_avatars_v1_avatars_get",
        accepted: ["apiKey"],
      });
      expect((error as Error).message).toContain("apiKey");

      const backendOnly = new LiveAvatar({ baseUrl: contractUrl, apiKey: TEST_API_KEY, fetch });
      const start = await rejectionOf(backendOnly.POST("/v1/sessions/start"));
      expect(start).toBeInstanceOf(MissingCredentialError);
      expect((start as Error).message).toContain("sessionToken");
      const chosen = await rejectionOf(backendOnly.POST("/v1/sessions/stop", { auth: "sessionToken" }));
      expect(chosen).toMatchObject({ name: "MissingCredentialError", requested: "sessionToken" });
      expect(seen).toEqual([]);
    });

    test("the server's 401 (Prism's problem+json, the fake's envelope) becomes AuthenticationError", async () => {
      const client = new LiveAvatar({ baseUrl: contractUrl, apiKey: TEST_API_KEY });
      // `auth: false` sends no credential, past the client's own check, so the server answers.
      const error = await rejectionOf(client.GET("/v1/avatars", { auth: false }));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toBeInstanceOf(APIError);
      const auth = error as AuthenticationError;
      expect(auth.status).toBe(401);
      expect(auth.body).toMatchObject(
        name === "fake" ? { code: 401, message: expect.any(String) } : { status: 401, title: expect.any(String) },
      );
      expect(auth.apiMessage).toEqual(expect.any(String));
      expect(auth.message).toContain("401");
      expect(auth.message).not.toContain(TEST_API_KEY);
    });

    test("an invalid body becomes UnprocessableEntityError with the validation detail", async () => {
      const client = new LiveAvatar({ baseUrl: contractUrl, apiKey: TEST_API_KEY });
      // avatar_id must be a uuid; the cast sends what the types would refuse.
      const error = await rejectionOf(
        client.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id: 42 as unknown as string } }),
      );
      expect(error).toBeInstanceOf(UnprocessableEntityError);
      const invalid = error as UnprocessableEntityError;
      expect(invalid.status).toBe(422);
      expect(invalid.detail.length).toBeGreaterThan(0);
      expect(invalid.detail[0]).toMatchObject({
        loc: expect.any(Array),
        msg: expect.any(String),
        type: expect.any(String),
      });
    });

    test("each operation gets only a credential it accepts, in the spec's order of preference", async () => {
      const { fetch, seen } = observingFetch();
      const client = new LiveAvatar({
        baseUrl: contractUrl,
        apiKey: TEST_API_KEY,
        sessionToken: TEST_SESSION_TOKEN,
        fetch,
      });
      await client.GET("/v1/avatars");
      await client.POST("/v1/sessions/start");
      // With an API key, a keep-alive names its session (a stateful server needs to know which).
      await client.POST("/v1/sessions/keep-alive", { body: { session_id: FIXTURE_ID } });
      await client.POST("/v1/sessions/keep-alive", { auth: "sessionToken" });
      await client.GET("/v1/languages");
      const sent = seen.map((r) => [r.url.pathname, r.headers.get("x-api-key"), r.headers.get("authorization")]);
      expect(sent).toEqual([
        ["/v1/avatars", TEST_API_KEY, null],
        ["/v1/sessions/start", null, `Bearer ${TEST_SESSION_TOKEN}`],
        ["/v1/sessions/keep-alive", TEST_API_KEY, null],
        ["/v1/sessions/keep-alive", null, `Bearer ${TEST_SESSION_TOKEN}`],
        ["/v1/languages", null, null],
      ]);
    });
  });
}
