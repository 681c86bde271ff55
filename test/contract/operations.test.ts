// Every operation in the spec, called through the client with a request sampled from the
// spec's schemas. The list comes from openapi.json, so a new operation is exercised (or fails
// here by name) and a removed one disappears, without editing this file.
import { afterAll, describe, expect, test } from "vitest";
import { operations } from "../../generated/operations.ts";
import { sampleRequest, specOperations, validateResult } from "../support/spec.ts";
import { contractClient, contractTarget, rawCall } from "../support/clients.ts";

const client = contractClient();
const called = new Set<string>();

describe.each(specOperations)("$key ($operationId)", (op) => {
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

afterAll(() => {
  const uncovered = specOperations.filter((op) => !called.has(op.key)).map((op) => `${op.key} (${op.operationId})`);
  expect(uncovered, `operations not exercised successfully:\n${uncovered.join("\n")}`).toEqual([]);
});
