// Runtime probes that must never throw: the client runs in Node, browsers, workers and edge runtimes.

/** An environment variable where the runtime has them (Node, Bun, Deno with permission); otherwise undefined. */
export function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const value = env?.[name]?.trim();
    return value ? value : undefined;
  } catch {
    return undefined; // Deno without --allow-env throws on access
  }
}

/** True in a page or a web worker, where a long-lived API key would be visible to the user. */
export function isBrowserRuntime(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown; importScripts?: unknown; process?: unknown };
  return (typeof g.window === "object" && typeof g.document === "object") || typeof g.importScripts === "function";
}
