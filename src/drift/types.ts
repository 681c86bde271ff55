// The seam between the clients and `liveavatar-api/drift`. The clients only know these types
// (type-only imports: nothing of the drift checker enters their bundles unless the caller
// imports `liveavatar-api/drift` and passes a checker in).

/** One way the live service differed from the vendored specs (openapi.json, asyncapi.yaml). */
export interface SpecDrift {
  /** "METHOD /path" for REST; "lite <event type>" or "full <event type>" for realtime events. */
  operation: string;
  kind: "unknown_event" | "undeclared_field" | "missing_field" | "wrong_type";
  /** JSON pointer into the response's `data`, or into the event. */
  pointer: string;
  /** What the spec says there: a type name ("string", "object", ...), "present", or the known event types. */
  expected: string;
  /** What arrived: a JSON type name ("string", "null", ...) or "absent". Never a value: values may be secrets. */
  received: string;
}

/** Checks inbound realtime events against asyncapi.yaml; `liveavatar-api/drift` builds one. */
export interface EventDriftCheck {
  /** The drifts of this event not reported before by this checker (each distinct drift once). */
  check(channel: "lite" | "full", event: unknown): readonly SpecDrift[];
}
