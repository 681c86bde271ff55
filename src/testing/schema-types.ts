// The fake's schema type is the package's one schema type (src/schema-check/types.ts).
export type { JsonSchema } from "../schema-check/types.js";
