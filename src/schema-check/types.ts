// The one schema type of the package: the JSON Schema subset that openapi.json (the fake's
// tables, generated/testing-tables.ts) and asyncapi.yaml (generated/event-schemas.ts) use.
// Both generated tables are declared with it, and the one validator (check.ts) reads it.

export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly allOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly discriminator?: { readonly propertyName: string; readonly mapping?: Readonly<Record<string, string>> };
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly readOnly?: boolean;
  readonly deprecated?: boolean;
  /** Vendor extensions (`x-reconstructed-from`, ...): carried through, never interpreted. */
  readonly [extension: `x-${string}`]: unknown;
}
