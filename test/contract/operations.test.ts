// Every operation in the spec, called through the client with a request sampled from the
// spec's schemas. The list comes from openapi.json, so a new operation is exercised (or fails
// here by name) and a removed one disappears, without editing this file.
// LIVEAVATAR_CONTRACT_READONLY=1 narrows the list to GET operations (see contractOperations).
import { afterAll, describe, expect, test } from "vitest";
import { operations } from "../../generated/operations.ts";
import { contractOperations, sampleRequest, validateResult } from "../support/spec.ts";
import { contractClient, contractTarget, rawCall } from "../support/clients.ts";

const client = contractClient();
const called = new Set<string>();

// A plain loop, not describe.each: each.$key would quote and truncate long paths in the test name.
for (const op of contractOperations) {
  describe(`${op.key} (${op.operationId})`, () => {
    test("answers with the unwrapped data, valid against the spec", async () => {
      const info = (operations as Record<string, (typeof operations)[keyof typeof operations]>)[op.key];
      expect(info, `${op.key} is missing from generated/operations.ts: run npm run generate`).toBeDefined();
      const request = sampleRequest(op);
      const { data, response } = await (client.request as Function)(op.method, op.path, request).withResponse();
      expect(response.status).toBe(info!.successStatus);
      expect(validateResult(op, info!.successStatus, data, contractTarget)).toEqual([]);
      const raw = await rawCall(op.method, op.path, request);
      expect(raw.status).toBe(info!.successStatus);
      const expected = info!.envelope ? (raw.body as { data?: unknown }).data : raw.body;
      expect(data).toEqual(info!.data === "null" ? (expected ?? null) : expected);
      called.add(op.key);
    });
  });
}

afterAll(() => {
  const uncovered = contractOperations.filter((op) => !called.has(op.key)).map((op) => `${op.key} (${op.operationId})`);
  expect(uncovered, `operations not exercised successfully:\n${uncovered.join("\n")}`).toEqual([]);
});
