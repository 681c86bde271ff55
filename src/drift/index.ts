// `liveavatar-api/drift`: notice in the field when the live service differs from the vendored
// specs. `specDrift()` checks REST answers against openapi.json (middleware for `client.use`),
// `eventDrift()` realtime events against asyncapi.yaml (the clients' `drift` option). Reports
// name where, what the spec expects and the JSON type received: never a value.
export { specDrift, SpecDriftError, specDriftErrorOf, type SpecDriftOptions } from "./rest.js";
export { eventDrift } from "./events.js";
export { MAX_DISTINCT_DRIFTS } from "./record.js";
export type { SpecDrift, EventDriftCheck } from "./types.js";
