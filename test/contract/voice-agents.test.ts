// Voice agents and LLM models (spec 2026-12), through the client against the contract mock: the
// FULL token that references a stored voice agent (the vendor's recommended path), the voice-agent
// operations, and the provider -> models catalogue. The fake's own voice-agent state is tested
// with the fake (test/testing).
import { describe, expect, expectTypeOf, test } from "vitest";
import { MissingCredentialError, UnprocessableEntityError, type components, type paths } from "../../src/index.ts";
import { rejectionOf } from "../support/client.ts";
import { clientFor } from "../support/client.ts";
import { contractTargets } from "../support/targets.ts";

const mock = contractTargets[0]!;
const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const agent_id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

type TokenBody = NonNullable<paths["/v1/sessions/token"]["post"]["requestBody"]>["content"]["application/json"];

describe(`voice agents [${mock.name}]`, () => {
  test("a FULL token names a voice agent with its language and dynamic variables, without avatar_persona", async () => {
    const body = {
      mode: "FULL",
      avatar_id,
      voice_agent: { id: agent_id, language: "en", dynamic_variables: { customer: "Ada", visits: 3 } },
    } satisfies TokenBody;
    const token = await clientFor(mock.url, { maxRetries: 0 }).POST("/v1/sessions/token", { body });
    expect(token).toEqual({ session_id: expect.any(String), session_token: expect.any(String) });
  });

  test("the mock refuses a voice agent id that is not a uuid, as the spec says", async () => {
    const call = clientFor(mock.url, { maxRetries: 0 }).POST("/v1/sessions/token", {
      body: { mode: "FULL", avatar_id, voice_agent: { id: "my-agent" } },
    });
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    // Prism answers the spec's declared 422 example, so only the status says it checked the body.
    expect((error as UnprocessableEntityError).status).toBe(422);
  });

  test("list, get and delete are typed calls with the API key; their bodies are `unknown` (the spec promises nothing)", async () => {
    const client = clientFor(mock.url, { maxRetries: 0 });
    const listed = await client.GET("/v1/voice_agents");
    const one = await client.GET("/v1/voice_agents/{agent_id}", { params: { path: { agent_id } } });
    const deleted = await client.DELETE("/v1/voice_agents/{agent_id}", { params: { path: { agent_id } } });
    expectTypeOf(listed).toEqualTypeOf<unknown>();
    expectTypeOf(one).toEqualTypeOf<unknown>();
    expectTypeOf(deleted).toEqualTypeOf<unknown>();
    // @ts-expect-error agent_id is a required path parameter
    await rejectionOf(client.GET("/v1/voice_agents/{agent_id}", { params: { path: {} } }));
  });

  test("voice agents need the API key: a client holding only a session token refuses before sending", async () => {
    const browser = clientFor(mock.url, { maxRetries: 0, apiKey: null });
    const error = await rejectionOf(browser.GET("/v1/voice_agents"));
    expect(error).toBeInstanceOf(MissingCredentialError);
  });
});

describe(`LLM models [${mock.name}]`, () => {
  test("GET /v1/llm-models is public and answers a provider -> models map", async () => {
    const anonymous = clientFor(mock.url, { maxRetries: 0, apiKey: null, sessionToken: null });
    const models = await anonymous.GET("/v1/llm-models");
    expectTypeOf(models).toEqualTypeOf<{ [provider: string]: string[] }>();
    expect(typeof models).toBe("object");
    for (const list of Object.values(models)) expect(list.every((m) => typeof m === "string")).toBe(true);
  });
});

// Compile-time: the body of a FULL token after the vendor's current docs.
expectTypeOf<{
  mode: "FULL";
  avatar_id: string;
  voice_agent: { id: string; language: string; dynamic_variables: { name: string } };
}>().toMatchTypeOf<components["schemas"]["FullSDKSessionTokenConfigDataSchema"]>();
