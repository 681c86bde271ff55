// `specDrift()`: middleware that checks each success answer's `data` against the operation's
// schema in openapi.json and reports where the live service differs. It reads a clone of the
// response in `onResponse` and never changes what the client gets (unless `mode: "throw"`).
import { LiveAvatarError, type Middleware } from "liveavatar-api";
import { componentSchemas, operationSchemas } from "../../generated/testing-tables.js";
import type { JsonSchema } from "../schema-check/check.js";
import { distinct, DriftLog, driftsOf } from "./record.js";
import type { SpecDrift } from "./types.js";

export interface SpecDriftOptions {
  /** Called once per distinct drift (operation, kind, pointer, expected, received). */
  onDrift?: ((drift: SpecDrift) => void) | undefined;
  /**
   * `"report"` (default): only `onDrift`. `"throw"`: an answer with any drift also fails the call;
   * the client rejects with its hook error whose `cause` is a `SpecDriftError` (see `specDriftErrorOf`).
   */
  mode?: "report" | "throw" | undefined;
}

/** The live answer of an operation differs from openapi.json. Lists the drifts; never a value. */
export class SpecDriftError extends LiveAvatarError {
  override name = "SpecDriftError";
  readonly drifts: readonly SpecDrift[];
  constructor(operation: string, drifts: readonly SpecDrift[]) {
    const list = drifts.map((d) => `${d.kind} at ${d.pointer || "/"} (expected ${d.expected}, received ${d.received})`);
    super(`${operation}: the answer differs from openapi.json: ${list.join("; ")}`);
    this.drifts = drifts;
  }
}

/** The SpecDriftError in `error` or its causes (the client wraps what a hook throws). */
export function specDriftErrorOf(error: unknown): SpecDriftError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof SpecDriftError) return e;
  }
  return undefined;
}

const PREFIX = "#/components/schemas/";
const resolve = (ref: string) => (ref.startsWith(PREFIX) ? componentSchemas[ref.slice(PREFIX.length)] : undefined);

export function specDrift(options: SpecDriftOptions = {}): Middleware {
  const log = new DriftLog();
  return {
    async onResponse({ operation, response }) {
      const schema = operationSchemas[operation]?.response;
      if (!schema || !response.ok || !(response.headers.get("content-type") ?? "").includes("json")) return;
      let body: unknown;
      try {
        body = JSON.parse(await response.clone().text());
      } catch {
        return; // Not JSON: the client itself reports that.
      }
      const drifts = distinct(driftsOf(operation, ...dataOf(schema, body), { resolve }));
      for (const drift of log.fresh(drifts)) options.onDrift?.(drift);
      if (options.mode === "throw" && drifts.length > 0) throw new SpecDriftError(operation, drifts);
    },
  };
}

/** The envelope's `data` and its schema, or the whole body where the operation has no envelope. */
function dataOf(schema: JsonSchema, body: unknown): [JsonSchema, unknown] {
  let envelope = schema;
  for (let hops = 0; envelope.$ref && hops < 16; hops++) envelope = resolve(envelope.$ref) ?? {};
  const data = envelope.properties?.data;
  const isObject = typeof body === "object" && body !== null && !Array.isArray(body);
  if (data && envelope.properties?.code && isObject && "data" in body) return [data, (body as { data: unknown }).data];
  return [schema, body];
}
