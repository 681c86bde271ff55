// The servers the contract tests run against: Prism and the testing kit's fake (same tests, two
// targets), or, with LIVEAVATAR_CONTRACT_URL, that server alone (contract:live checks a live API;
// the fake has nothing to add there).
import { inject } from "vitest";
import { contractTarget, contractUrl } from "./client.ts";
import { FIXTURE_ID } from "./fake-target.ts";

export interface ContractTarget {
  name: "prism" | "external" | "fake";
  url: string;
  /** How strictly answers are validated: the fake and live servers must honour `pattern` too. */
  validation: "mock" | "external";
  /** Stateful targets return to their seed, so a repeated call sees the same state. */
  reset(): Promise<void>;
  /**
   * The sampled request, with the ids a stateful server must hold: path ids, and the
   * `session_id` a stop or keep-alive sent with an API key needs (the sample leaves it out).
   */
  prepare(op: { path: string }, request: SampledRequest): SampledRequest;
}

type SampledRequest = { params: Record<string, Record<string, unknown>>; body?: unknown };

const fakeUrl = inject("fakeContractUrl");

const targets: ContractTarget[] = [
  {
    name: contractTarget === "mock" ? "prism" : "external",
    url: contractUrl,
    validation: contractTarget,
    reset: async () => {},
    prepare: (_, request) => request,
  },
  {
    name: "fake",
    url: fakeUrl,
    validation: "external",
    reset: async () => {
      const response = await fetch(`${fakeUrl}/__fake/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`fake reset failed: ${response.status}`);
    },
    prepare: (op, request) => {
      const params = { ...request.params };
      if (params.path) params.path = Object.fromEntries(Object.keys(params.path).map((name) => [name, FIXTURE_ID]));
      const body = request.body;
      const needsSession =
        /^\/v1\/sessions\/(stop|keep-alive)$/.test(op.path) && typeof body === "object" && body !== null;
      return { params, body: needsSession ? { session_id: FIXTURE_ID, ...body } : body };
    },
  },
];

export const contractTargets: ContractTarget[] = contractTarget === "mock" ? targets : targets.slice(0, 1);
