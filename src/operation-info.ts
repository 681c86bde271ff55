// The shape of one entry of the operation table. The generator (scripts/lib/operation-table.ts)
// fills entries of this shape from the spec, and generated/operations.ts declares its table with
// it: this is the only place the shape is written down.

/** What a success body's `data` holds: "none" for a body-less success (204). */
export type DataKind = "object" | "array" | "untyped" | "null" | "none";

export interface OperationInfo {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly tag: string | null;
  /** Security alternatives in the spec's order; each lists the schemes it needs together. Empty: public. */
  readonly security: readonly (readonly string[])[];
  readonly successStatus: number;
  /** Whether the success body is the `{code, data, message}` envelope. */
  readonly envelope: boolean;
  readonly data: DataKind;
  /** Takes `page`/`page_size` and answers `{count, next, previous, results}`. */
  readonly paginated: boolean;
}

/** A security scheme of the spec, as far as the client needs it to place a credential. */
export interface SecuritySchemeInfo {
  readonly type: string;
  readonly in?: string;
  readonly name?: string;
  readonly scheme?: string;
}

/**
 * What most operations share; a row of the compact table lists only where its operation differs.
 * The generator (scripts/lib/operation-table.ts) and `expandOperations` read the same object.
 */
export const OPERATION_DEFAULTS = { successStatus: 200, envelope: true, data: "object", paginated: false } as const;

/**
 * One operation in the compact form generated/operations.ts ships (the table is most of the
 * core bundle, and most of each entry repeats its key or the defaults):
 * `[key "METHOD /path", name, tag, index into the security list, differences from the defaults]`.
 * `name` is the operationId without the `_<path>_<method>` suffix FastAPI appends to a
 * function's name; an operationId that does not end so is given whole in the differences.
 */
export type OperationRow = readonly [
  key: string,
  name: string,
  tag: string | null,
  security: number,
  differences?: Partial<OperationInfo>,
];

/** The suffix FastAPI appends to a route function's name to make its operationId. */
export const operationIdSuffix = (method: string, path: string): string =>
  `${path.replace(/\W/g, "_")}_${method.toLowerCase()}`;

/** Expands the compact rows, once at load, into the public table: one `OperationInfo` per "METHOD /path". */
export function expandOperations<Table extends Record<string, OperationInfo>>(
  rows: readonly OperationRow[],
  security: OperationInfo["security"][],
): Table {
  const table: Record<string, OperationInfo> = {};
  for (const [key, name, tag, scheme, differences] of rows) {
    const method = key.slice(0, key.indexOf(" "));
    const path = key.slice(method.length + 1);
    table[key] = {
      operationId: name + operationIdSuffix(method, path),
      method,
      path,
      tag,
      security: security[scheme]!,
      ...OPERATION_DEFAULTS,
      ...differences,
    };
  }
  return table as Table;
}
