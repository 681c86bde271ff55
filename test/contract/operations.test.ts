// Every operation in the spec, called through the client with a request sampled from the
// spec's schemas, against each contract target: Prism and the testing kit's fake (same tests,
// two targets). The list comes from openapi.json, so a new operation is exercised (or fails
// here by name) and a removed one disappears, without editing this file.
// LIVEAVATAR_CONTRACT_READONLY=1 narrows the list to GET operations (see contractOperations).
// The outer describe title stays "METHOD /path (operationId)": contract:live and the spec:update
// check read outcomes by it.
import { afterAll, describe, expect, test } from "vitest";
import { operations } from "../../generated/operations.ts";
import { contractOperations, sampleRequest, validateResult } from "../support/spec.ts";
import { CREDENTIAL_HEADERS, clientFor, rawRequest } from "../support/client.ts";
import { contractTargets } from "../support/targets.ts";

const called = new Map(contractTargets.map((target) => [target.name, new Set<string>()]));

// A plain loop, not describe.each: each.$key would quote and truncate long paths in the test name.
for (const op of contractOperations) {
  describe(`${op.key} (${op.operationId})`, () => {
    for (const target of contractTargets) {
      test(`[${target.name}] answers with the unwrapped data, valid against the spec`, async () => {
        const info = (operations as Record<string, (typeof operations)[keyof typeof operations]>)[op.key];
        expect(info, `${op.key} is missing from generated/operations.ts: run npm run generate`).toBeDefined();
        const client = clientFor(target.url, { maxRetries: 0 });
        const request = target.prepare(op, sampleRequest(op));
        await target.reset();
        const { data, response } = await (client.request as Function)(op.method, op.path, request).withResponse();
        expect(response.status).toBe(info!.successStatus);
        expect(validateResult(op, info!.successStatus, data, target.validation)).toEqual([]);
        // The same request again, without the client, from the same state: the same answer.
        await target.reset();
        const raw = await rawRequest(target.url, op.method, op.path, {
          ...request,
          headers: { ...CREDENTIAL_HEADERS },
        });
        expect(raw.status).toBe(info!.successStatus);
        const expected = info!.envelope ? (raw.body as { data?: unknown }).data : raw.body;
        expect(data).toEqual(info!.data === "null" ? (expected ?? null) : expected);
        called.get(target.name)!.add(op.key);
      });
    }
  });
}

afterAll(() => {
  for (const [name, done] of called) {
    const uncovered = contractOperations.filter((op) => !done.has(op.key)).map((op) => `${op.key} (${op.operationId})`);
    expect(uncovered, `[${name}] operations not exercised successfully:\n${uncovered.join("\n")}`).toEqual([]);
  }
});
