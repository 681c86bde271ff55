// Starts the server the contract tests talk to: a Prism mock built from openapi.json, or,
// with LIVEAVATAR_CONTRACT_URL set, whatever server that names (a live API, a prism proxy).
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startPrism } from "../../scripts/lib/prism.ts";
import { startFakeTarget } from "./fake-target.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where contract tests send requests. */
    contractUrl: string;
    /** "mock" when the suite started Prism itself; "external" when pointed at another server. */
    contractTarget: "mock" | "external";
    /** The testing kit's fake: the second target of the contract tests. */
    fakeContractUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await startFakeTarget();
  project.provide("fakeContractUrl", fake.url);
  const external = process.env.LIVEAVATAR_CONTRACT_URL;
  if (external) {
    project.provide("contractUrl", external);
    project.provide("contractTarget", "external");
    return () => fake.close();
  }
  // If Prism cannot start, the fake started above is closed before the error goes up.
  const prism = await startPrism({ spec: join(import.meta.dirname, "..", "..", "openapi.json") }).catch(
    async (error: unknown) => {
      await fake.close();
      throw error;
    },
  );
  project.provide("contractUrl", prism.url);
  project.provide("contractTarget", "mock");
  return async () => {
    await Promise.all([prism.stop(), fake.close()]);
  };
}
