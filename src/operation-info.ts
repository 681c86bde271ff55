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
