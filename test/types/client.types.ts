// Type tests, checked by `tsc -p .` (part of `npm test`): what must compile does, and every
// `@ts-expect-error` line must really be an error, or the check fails.
import { expectTypeOf } from "vitest";
import { LiveAvatar, type APIPromise, type components, type PageItem } from "../../src/index.ts";

type Schemas = components["schemas"];
declare const client: LiveAvatar;
const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

export async function callsThatCompile(): Promise<void> {
  // Minimal token bodies: defaults (mode, is_sandbox, interactivity_type) stay optional.
  const full = await client.POST("/v1/sessions/token", { body: { avatar_id, avatar_persona: {} } });
  const lite = await client.POST("/v1/sessions/token", { body: { mode: "LITE", avatar_id } });
  expectTypeOf(full).toEqualTypeOf<Schemas["SDKSessionTokenSchema"]>();
  expectTypeOf(lite.session_token).toEqualTypeOf<string>();

  // Object data is non-null; arrays are arrays; 204 is undefined; null-only data is null.
  const avatar = await client.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } });
  expectTypeOf(avatar).toEqualTypeOf<Schemas["AvatarSchema"]>();
  expectTypeOf(await client.GET("/v1/languages")).toEqualTypeOf<Schemas["LanguageSchema"][]>();
  expectTypeOf(
    await client.DELETE("/v1/memory/{memory_id}", { params: { path: { memory_id: "m" } } }),
  ).toEqualTypeOf<undefined>();
  expectTypeOf(
    await client.DELETE("/v1/secrets/{secret_id}", { params: { path: { secret_id: "s" } } }),
  ).toEqualTypeOf<null>();
  // Untyped data stays unknown.
  expectTypeOf(await client.POST("/v1/sessions/keep-alive")).toEqualTypeOf<unknown>();

  // The session start answer, with the session token.
  const started = await client.POST("/v1/sessions/start", { auth: "sessionToken" });
  expectTypeOf(started.livekit_url).toEqualTypeOf<string>();

  // Raw access.
  const raw = await client.GET("/v1/users/credits").withResponse();
  expectTypeOf(raw.data).toEqualTypeOf<Schemas["UserCreditsSchema"]>();
  expectTypeOf(raw.code).toEqualTypeOf<number | undefined>();
  expectTypeOf(raw.response).toEqualTypeOf<Response>();
  expectTypeOf(client.GET("/v1/users/credits")).toEqualTypeOf<APIPromise<Schemas["UserCreditsSchema"]>>();

  expectTypeOf(client.GET("/v1/users/credits").asResponse()).toEqualTypeOf<Promise<Response>>();

  // Hooks see a real Request and Response.
  client.use({
    onRequest: ({ request, operation, attempt }) => {
      expectTypeOf(request).toEqualTypeOf<Request>();
      expectTypeOf(operation).toEqualTypeOf<string>();
      expectTypeOf(attempt).toEqualTypeOf<number>();
    },
    onResponse: ({ response }) => response,
  });

  // Pagination yields the list's item type.
  for await (const item of client.paginate("/v1/avatars")) expectTypeOf(item).toEqualTypeOf<Schemas["AvatarSchema"]>();
  for await (const s of client.paginate("/v1/sessions", { params: { query: { type: "active" } } })) {
    expectTypeOf(s).toEqualTypeOf<PageItem<"/v1/sessions">>();
  }

  // Options every call takes.
  await client.GET("/v1/avatars", { signal: AbortSignal.timeout(1000), timeout: 5000, maxRetries: 0, auth: "apiKey" });
}

export async function callsThatMustNotCompile(): Promise<void> {
  // @ts-expect-error: no such path
  await client.GET("/v1/avatar");
  // @ts-expect-error: the path exists, but not for this method
  await client.PATCH("/v1/languages");
  // @ts-expect-error: required path parameter missing
  await client.GET("/v1/avatars/{avatar_id}");
  // @ts-expect-error: wrong path parameter name
  await client.GET("/v1/avatars/{avatar_id}", { params: { path: { id: avatar_id } } });
  // @ts-expect-error: required query parameter `type` missing
  await client.GET("/v1/sessions", { params: { query: {} } });
  // @ts-expect-error: `type` takes "active" | "historic"
  await client.GET("/v1/sessions", { params: { query: { type: "recent" } } });
  // @ts-expect-error: the token body is required
  await client.POST("/v1/sessions/token");
  // @ts-expect-error: `avatar_id` is required in both token bodies
  await client.POST("/v1/sessions/token", { body: { mode: "LITE" } });
  // @ts-expect-error: mode must be "FULL" or "LITE"
  await client.POST("/v1/sessions/token", { body: { mode: "HALF", avatar_id } });
  // @ts-expect-error: wrong field type in a body
  await client.POST("/v1/contexts", { body: { name: 42, opening_text: "hi", prompt: "p" } });
  // @ts-expect-error: unknown credential name
  await client.GET("/v1/avatars", { auth: "password" });
  // @ts-expect-error: fetch options the client sets itself are not accepted
  await client.GET("/v1/avatars", { fetchOptions: { method: "POST" } });
  // @ts-expect-error: not a paginated operation
  client.paginate("/v1/languages");
  const avatar = await client.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } });
  // @ts-expect-error: no such field on the avatar
  void avatar.nonexistent_field;
}
