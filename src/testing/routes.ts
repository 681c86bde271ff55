// Matching a request to a spec operation: "METHOD /path" plus the path parameters.
import { operations, type OperationKey } from "../../generated/operations.js";

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
  | { kind: "unknown" };

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
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1]!)));
    return { kind: "operation", key: route.key, params };
  }
  return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "unknown" };
}

export function isOperationKey(key: string): key is OperationKey {
  return key in operations;
}
