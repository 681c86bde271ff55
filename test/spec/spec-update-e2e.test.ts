// End to end, on a scratch copy of the project: the vendor publishes a spec with one new
// operation (GET /v1/llm-providers) and one fewer (GET /v1/languages). spec:update downloads it,
// reports both, regenerates the types, and the unchanged contract suite then calls the new
// operation and no longer the removed one.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderGenerated } from "../../scripts/generate.ts";
import { readSpec } from "../../scripts/lib/spec.ts";
import { EXIT } from "../../scripts/spec-update.ts";
import {
  copyProject,
  runNode,
  runScript,
  tscCli,
  vitestCli,
  type ProjectCopy,
  type RunResult,
} from "./project-copy.ts";

const ADDED = "GET /v1/llm-providers";
const REMOVED = "GET /v1/languages";

/** The vendored spec with GET /v1/llm-providers added and GET /v1/languages removed. */
function nextSpec(vendored: Record<string, any>): Record<string, any> {
  const spec = structuredClone(vendored);
  delete spec.paths["/v1/languages"];
  spec.paths["/v1/llm-providers"] = {
    get: {
      tags: ["LLM Configurations"],
      summary: "List LLM Providers",
      operationId: "list_llm_providers_v1_llm_providers_get",
      security: [{ APIKeyHeader: [] }],
      responses: {
        "200": {
          description: "Successful Response",
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/Response_list_LLMProviderSchema__" } },
          },
        },
      },
    },
  };
  spec.components.schemas.LLMProviderSchema = {
    type: "object",
    title: "LLMProviderSchema",
    required: ["id", "name"],
    properties: { id: { type: "string", title: "Id" }, name: { type: "string", title: "Name" } },
  };
  spec.components.schemas.Response_list_LLMProviderSchema__ = {
    type: "object",
    title: "Response[list[LLMProviderSchema]]",
    properties: {
      code: { type: "integer", title: "Code", default: 100 },
      data: { type: "array", title: "Data", items: { $ref: "#/components/schemas/LLMProviderSchema" } },
      message: { type: "string", title: "Message" },
    },
  };
  return spec;
}

let project: ProjectCopy;
let server: Server;
let next: Record<string, any>;
let update: RunResult;
const reportFile = () => join(project.dir, "inputs", "report.md");

beforeAll(async () => {
  project = await copyProject();
  await mkdir(join(project.dir, "inputs"));
  next = nextSpec(JSON.parse(await readFile(join(project.dir, "openapi.json"), "utf8")));
  // The vendor's server, serving the new spec compactly (spec:update reformats it).
  const body = JSON.stringify(next);
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.json`;
  update = await runScript(project.dir, "scripts/spec-update.ts", ["--report", reportFile()], {
    LIVEAVATAR_SPEC_URL: url,
  });
}, 180_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await project?.remove();
});

describe("spec:update with an added and a removed operation", () => {
  test("downloads from LIVEAVATAR_SPEC_URL and reports the added and the removed operation", () => {
    expect(update.stderr).toBe("");
    expect(update.code).toBe(EXIT.ok);
    expect(update.stdout).toMatch(/reading http:\/\/127\.0\.0\.1:\d+\/openapi\.json/);
    expect(update.stdout).toContain("1 added, 1 removed, 0 changed; 1 breaking, 0 warnings, 1 non-breaking");
    expect(update.stdout).toContain(
      `Added operations (non-breaking):\n  + ${ADDED} (list_llm_providers_v1_llm_providers_get)`,
    );
    expect(update.stdout).toContain(`Removed operations (BREAKING):\n  - ${REMOVED} (get_languages_v1_languages_get)`);
    expect(update.stdout).toContain("Result: BREAKING for callers (1)");
    expect(update.stdout).toContain(
      "updated generated/schema.ts, generated/operations.ts, generated/testing-tables.ts, openapi.json",
    );
  });

  test("writes the Markdown report", async () => {
    const markdown = await readFile(reportFile(), "utf8");
    expect(markdown).toContain("### Added operations (non-breaking)\n\n- `GET /v1/llm-providers`");
    expect(markdown).toContain("### Removed operations (**breaking**)\n\n- `GET /v1/languages`");
  });

  test("writes openapi.json in the vendored formatting", async () => {
    expect(await readFile(join(project.dir, "openapi.json"), "utf8")).toBe(`${JSON.stringify(next, null, 2)}\n`);
  });

  test("regenerates the operation table and the types", async () => {
    const table = await readFile(join(project.dir, "generated", "operations.ts"), "utf8");
    expect(table).toContain(`"${ADDED}": {`);
    expect(table).not.toContain(`"${REMOVED}"`);
    const schema = await readFile(join(project.dir, "generated", "schema.ts"), "utf8");
    expect(schema).toContain('"/v1/llm-providers": {');
    expect(schema).toContain("LLMProviderSchema: {");
    expect(schema).not.toContain('"/v1/languages"');
  });

  test(
    "the new types compile through the client, and the removed path no longer does",
    { timeout: 120_000 },
    async () => {
      await writeFile(
        join(project.dir, "inputs", "probe.ts"),
        `import type { components } from "../generated/schema.ts";
import type { LiveAvatar } from "../src/index.ts";
export async function probe(client: LiveAvatar): Promise<components["schemas"]["LLMProviderSchema"] | undefined> {
  const models = await client.GET("/v1/llm-providers");
  const name: string | undefined = models[0]?.name;
  // @ts-expect-error GET /v1/languages is gone
  await client.GET("/v1/languages");
  return name === undefined ? undefined : models[0];
}
`,
      );
      await writeFile(
        join(project.dir, "inputs", "tsconfig.json"),
        JSON.stringify({ extends: "../tsconfig.json", include: ["probe.ts"] }),
      );
      const tsc = await runNode(project.dir, [tscCli, "-p", "inputs/tsconfig.json"]);
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.code).toBe(0);
    },
  );

  test("`npm run generate -- --check` agrees that generated/ matches the new spec", { timeout: 60_000 }, async () => {
    // The comparison --check makes, in this process.
    const files = await renderGenerated(readSpec(join(project.dir, "openapi.json")));
    for (const [name, content] of Object.entries(files)) {
      expect(await readFile(join(project.dir, name), "utf8"), name).toBe(content);
    }
  });

  test(
    "the unchanged contract suite calls the new operation and not the removed one",
    { timeout: 180_000 },
    async () => {
      const results = join(project.dir, "inputs", "contract.json");
      const run = await runNode(project.dir, [
        vitestCli,
        "run",
        "test/contract/operations.test.ts",
        "--reporter=json",
        `--outputFile=${results}`,
      ]);
      const json = JSON.parse(await readFile(results, "utf8")) as {
        testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; status: string }> }>;
      };
      const tests = json.testResults.flatMap((f) => f.assertionResults);
      const byOperation = new Map(tests.map((t) => [t.ancestorTitles[0]!.split(" (")[0], t.status]));
      expect(byOperation.get(ADDED)).toBe("passed");
      expect(byOperation.has(REMOVED)).toBe(false);
      expect(byOperation.size).toBe(Object.values(next.paths).flatMap((item) => Object.keys(item as object)).length);
      expect([...byOperation.values()].every((status) => status === "passed")).toBe(true);
      expect(run.code).toBe(0);
    },
  );
});
