// The fake against a model of itself (fast-check model-based testing): random sequences of
// creates, patches with hostile fields, deletes, malformed paths, oversized bodies and resets.
// After every step: no 500, every context the model holds reads back with its own id and
// created_at, and the list counts exactly the model's contexts.
import fc from "fast-check";
import { expect, test } from "vitest";
import { createLiveAvatarFake, type LiveAvatarFake } from "../../src/testing/index.ts";

type Model = { contexts: Map<string, string> }; // id -> created_at
type Real = { fake: LiveAvatarFake };

const SEED_CONTEXTS = 3;

async function call(fake: LiveAvatarFake, method: string, path: string, body?: string) {
  const response = await fake.handle(
    new Request(`http://fake.test${path}`, {
      method,
      headers: { "x-api-key": fake.apiKey, "content-type": "application/json" },
      body,
    }),
  );
  expect(response.status, `${method} ${path}`).toBeLessThan(500);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function check(model: Model, real: Real): Promise<void> {
  const list = await call(real.fake, "GET", "/v1/contexts?page_size=100");
  expect(list.body.data.count).toBe(model.contexts.size);
  for (const [id, createdAt] of model.contexts) {
    const read = await call(real.fake, "GET", `/v1/contexts/${id}`);
    expect(read.body.data).toMatchObject({ id, created_at: createdAt });
  }
}

const hostile = fc.record(
  {
    name: fc.string({ maxLength: 8 }),
    id: fc.uuid(),
    created_at: fc.oneof(fc.string(), fc.integer()),
    updated_at: fc.anything({ maxDepth: 2 }),
    required_dynamic_variables: fc.anything({ maxDepth: 2 }),
    links: fc.anything({ maxDepth: 2 }),
    extra: fc.anything({ maxDepth: 2 }),
  },
  { requiredKeys: ["name"] },
);

const pick = fc.nat();
const contextIds = (model: Model) => [...model.contexts.keys()];

const commands = [
  fc.constant<fc.AsyncCommand<Model, Real>>({
    check: () => true,
    run: async (model, real) => {
      const created = await call(real.fake, "POST", "/v1/contexts", '{"name":"n","prompt":"p","opening_text":"o"}');
      model.contexts.set(created.body.data.id, created.body.data.created_at);
      await check(model, real);
    },
    toString: () => "create",
  }),
  fc.tuple(pick, hostile).map(([n, fields]): fc.AsyncCommand<Model, Real> => ({
    check: (model) => model.contexts.size > 0,
    run: async (model, real) => {
      const id = contextIds(model)[n % model.contexts.size]!;
      const body = JSON.stringify({ prompt: "p", opening_text: "o", ...fields });
      expect((await call(real.fake, "PATCH", `/v1/contexts/${id}`, body)).status).toBeOneOf([200, 413, 422]);
      await check(model, real);
    },
    toString: () => `patch ${JSON.stringify(fields)}`,
  })),
  pick.map((n): fc.AsyncCommand<Model, Real> => ({
    check: (model) => model.contexts.size > 0,
    run: async (model, real) => {
      const id = contextIds(model)[n % model.contexts.size]!;
      expect((await call(real.fake, "DELETE", `/v1/contexts/${id}`)).status).toBe(200);
      model.contexts.delete(id);
      await check(model, real);
    },
    toString: () => `delete #${n}`,
  })),
  fc.constantFrom("%", "%E0%A4%A", "%zz", "a%2").map((bad): fc.AsyncCommand<Model, Real> => ({
    check: () => true,
    run: async (model, real) => {
      expect((await call(real.fake, "GET", `/v1/contexts/${bad}`)).status).toBe(400);
      await check(model, real);
    },
    toString: () => `malformed ${bad}`,
  })),
  fc.constant<fc.AsyncCommand<Model, Real>>({
    check: () => true,
    run: async (model, real) => {
      const big = JSON.stringify({ name: "x".repeat(2048), prompt: "p", opening_text: "o" });
      expect((await call(real.fake, "POST", "/v1/contexts", big)).status).toBe(413);
      await check(model, real);
    },
    toString: () => "oversized create",
  }),
  fc.constant<fc.AsyncCommand<Model, Real>>({
    check: () => true,
    run: async (model, real) => {
      real.fake.reset();
      const seeded = await call(real.fake, "GET", "/v1/contexts?page_size=100");
      model.contexts = new Map(
        seeded.body.data.results.map((c: { id: string; created_at: string }) => [c.id, c.created_at]),
      );
      expect(model.contexts.size).toBe(SEED_CONTEXTS);
      await check(model, real);
    },
    toString: () => "reset",
  }),
];

test("the fake's contexts follow their model under hostile sequences (seeded)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (sequence) => {
      const fake = createLiveAvatarFake({ maxBodyBytes: 1024, now: () => new Date("2026-01-01T00:00:00Z") });
      const seeded = await call(fake, "GET", "/v1/contexts");
      const model: Model = {
        contexts: new Map(
          seeded.body.data.results.map((c: { id: string; created_at: string }) => [c.id, c.created_at]),
        ),
      };
      await fc.asyncModelRun(() => ({ model, real: { fake } }), sequence);
    }),
    { seed: 16, numRuns: 60 },
  );
});
