// The operation table ships as compact rows that expand at load: the expansion gives exactly the
// table the generator derives from the spec (same keys, order and fields), so the public
// `operations` export keeps its shape while the bundle carries less.
import { join } from "node:path";
import { expect, test } from "vitest";
import { operations } from "../generated/operations.ts";
import { buildOperationTable } from "../scripts/lib/operation-table.ts";
import { normaliseSpec, readSpec } from "../scripts/lib/spec.ts";
import { expandOperations, type OperationInfo } from "../src/operation-info.ts";
import { ROOT } from "./support/spec.ts";

test("the expanded table equals the one derived from the spec, entry for entry and in order", () => {
  const { spec } = normaliseSpec(readSpec(join(ROOT, "openapi.json")));
  const derived = buildOperationTable(spec);
  expect(Object.keys(operations)).toEqual(derived.map((op) => `${op.method} ${op.path}`));
  for (const op of derived) {
    const entry = operations[`${op.method} ${op.path}` as keyof typeof operations];
    expect(entry).toStrictEqual(op);
    expect(Object.keys(entry)).toEqual(Object.keys(op));
  }
});

test("a row lists only its differences, and an operationId FastAPI did not derive is kept whole", () => {
  const table = expandOperations<Record<string, OperationInfo>>(
    [
      ["GET /v1/things/{thing_id}", "get_thing", "Things", 0],
      ["DELETE /v1/things/{thing_id}", "", null, 1, { operationId: "removeThing", successStatus: 204, data: "none" }],
    ],
    [[["APIKeyHeader"]], []],
  );
  expect(table).toStrictEqual({
    "GET /v1/things/{thing_id}": {
      operationId: "get_thing_v1_things__thing_id__get",
      method: "GET",
      path: "/v1/things/{thing_id}",
      tag: "Things",
      security: [["APIKeyHeader"]],
      successStatus: 200,
      envelope: true,
      data: "object",
      paginated: false,
    },
    "DELETE /v1/things/{thing_id}": {
      operationId: "removeThing",
      method: "DELETE",
      path: "/v1/things/{thing_id}",
      tag: null,
      security: [],
      successStatus: 204,
      envelope: true,
      data: "none",
      paginated: false,
    },
  });
});
