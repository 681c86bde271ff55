// Matching a request to a spec operation: "METHOD /path" plus the path parameters; and checking
// an operation a caller names (`inject`, `calls`), with the nearest real one when it is misspelt.
import { operations, type OperationKey } from "../../generated/operations.js";
import { FakeConfigError } from "./errors.js";

interface Route {
  key: OperationKey;
  method: string;
  pattern: RegExp;
  names: string[];
}

// Literal segments first, so `/v1/avatars/public` wins over `/v1/avatars/{avatar_id}`.
const ROUTES: Route[] = (Object.keys(operations) as OperationKey[])
  .map((key) => {
    const { method, path } = operations[key];
    const names: string[] = [];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { key, method, pattern: new RegExp(`^${source}/?$`), names };
  })
  .sort((a, b) => a.names.length - b.names.length);

export type Match =
  | { kind: "operation"; key: OperationKey; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "unknown" }
  /** A path parameter with a malformed percent-escape (`%E0%A4%A`). */
  | { kind: "bad-path"; param: string };

export function matchRoute(method: string, pathname: string): Match {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [i, name] of route.names.entries()) {
      try {
        params[name] = decodeURIComponent(found[i + 1]!);
      } catch {
        return { kind: "bad-path", param: name };
      }
    }
    return { kind: "operation", key: route.key, params };
  }
  return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "unknown" };
}

/** Own keys only: `constructor` or `toString` are no operation. */
export function isOperationKey(key: unknown): key is OperationKey {
  return typeof key === "string" && Object.hasOwn(operations, key);
}

/** `op` when it names an operation; otherwise a FakeConfigError naming the nearest one. */
export function checkOperation(op: unknown, where: string): OperationKey {
  if (isOperationKey(op)) return op;
  const nearest = typeof op === "string" ? nearestOperation(op) : undefined;
  const hint = nearest ? `did you mean ${nearest}?` : `use "METHOD /path" as in the spec`;
  throw new FakeConfigError(`${where}: unknown operation ${JSON.stringify(op)}; ${hint}`);
}

/** The operation closest to `text` by edit distance, when it is close enough to be a typo. */
export function nearestOperation(text: string): OperationKey | undefined {
  const wanted = text.trim().replace(/\s+/g, " ");
  let best: { key: OperationKey; distance: number } | undefined;
  for (const key of Object.keys(operations) as OperationKey[]) {
    const distance = editDistance(wanted.toUpperCase(), key.toUpperCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best && best.distance <= Math.max(3, wanted.length / 3) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  if (a.length > 200) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
