// A success as the API sends it: the envelope around the handler's data, checked against the
// spec before it is sent; and spec-valid samples for operations with no state of their own.
import { operations, type OperationKey } from "../../generated/operations.js";
import { operationSchemas } from "../../generated/testing-tables.js";
import type { Handler } from "./handlers/context.js";
import { failure, json } from "./respond.js";
import { sampleValue } from "./sample.js";
import { formatIssue, validate } from "./validate.js";

/** Wraps `data` as the operation's success and checks it against the spec before sending it. */
export function successResponse(key: OperationKey, data: unknown, successCode: number): Response {
  const info = operations[key];
  if (data === undefined || !info.envelope) {
    return data === undefined ? new Response(null, { status: info.successStatus }) : json(info.successStatus, data);
  }
  const body = { code: successCode, data, message: "success" };
  const schema = operationSchemas[key]!.response;
  const problems = schema ? validate(schema, body, ["response"]) : [];
  if (problems.length > 0) {
    // Loud on purpose: a fake that disagrees with the spec would make tests pass that should fail.
    return failure(
      500,
      `the fake's answer to ${key} does not match openapi.json: ${problems.map(formatIssue).join("; ")}`,
    );
  }
  return json(info.successStatus, body);
}

/** Operations with no state of their own (e.g. embeddings) answer a spec-valid sample. */
export function sampledAnswer(key: OperationKey): Handler {
  return (call) => {
    const schema = operationSchemas[key]!.response;
    const envelope = schema ? (sampleValue(schema, call.state.sample) as { data?: unknown }) : undefined;
    return envelope?.data ?? null;
  };
}
