// `spec:update` refuses bad input with a clear message and its own exit code, and leaves
// openapi.json and generated/ byte for byte as they were. Run on a scratch copy of the project:
// in-process through main() for speed, and once as a real process for the CLI's exit code.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { EXIT, main } from "../../scripts/spec-update.ts";
import { copyProject, runScript, snapshot, type ProjectCopy, type RunResult } from "./project-copy.ts";

let project: ProjectCopy;
let before: Record<string, string>;
let vendored: Record<string, any>;
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  project = await copyProject();
  before = await snapshot(project.dir);
  vendored = JSON.parse(await readFile(join(project.dir, "openapi.json"), "utf8"));
  // /fail answers 500; /hang accepts the request and never answers.
  server = createServer((req, res) => {
    if (req.url === "/fail") {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await project?.remove();
});

/** Writes a candidate spec into the copy's inputs/ folder (spec:update never writes there). */
async function input(name: string, content: string): Promise<string> {
  await mkdir(join(project.dir, "inputs"), { recursive: true });
  const file = join(project.dir, "inputs", name);
  await writeFile(file, content);
  return file;
}

function withDanglingRef(): object {
  const spec = structuredClone(vendored);
  spec.paths["/v1/users/credits"].get.responses["200"].content["application/json"].schema = {
    $ref: "#/components/schemas/NoSuchSchema",
  };
  return spec;
}

function withoutSuccessResponse(): object {
  // Valid OpenAPI, but the generator needs a 2xx answer for every operation.
  const spec = structuredClone(vendored);
  delete spec.paths["/v1/users/credits"].get.responses["200"];
  return spec;
}

function withBreakingChange(): object {
  const spec = structuredClone(vendored);
  delete spec.paths["/v1/users/credits"];
  return spec;
}

interface BadInput {
  name: string;
  source: () => Promise<string>;
  args?: string[];
  exit: number;
  message: RegExp;
}

const badInputs: BadInput[] = [
  {
    name: "invalid JSON",
    source: () => input("broken.json", '{"openapi": "3.1.0", "paths": {'),
    exit: EXIT.parse,
    message: /is neither valid JSON nor valid YAML: .*JSON/,
  },
  {
    name: "invalid YAML",
    source: () => input("broken.yaml", "openapi: 3.1.0\npaths:\n  /a: [unclosed\n    b: : :\n"),
    exit: EXIT.parse,
    message: /is neither valid JSON nor valid YAML/,
  },
  {
    name: "a JSON value that is not an object",
    source: () => input("array.json", "[1, 2, 3]"),
    exit: EXIT.parse,
    message: /does not hold a JSON\/YAML object \(found an array\)/,
  },
  {
    name: "a Swagger 2.0 document",
    source: () => input("swagger.yaml", stringify({ swagger: "2.0", info: { title: "x", version: "1" }, paths: {} })),
    exit: EXIT.notOpenAPI,
    message: /is not an OpenAPI 3\.x document \(swagger 2\.0\)/,
  },
  {
    name: "an OpenAPI 3.1 document that breaks the OpenAPI schema",
    source: () =>
      input("invalid.json", JSON.stringify({ openapi: "3.1.0", paths: { "/a": { get: { responses: 7 } } } })),
    exit: EXIT.notOpenAPI,
    message: /is not a valid OpenAPI 3\.1\.0 document/,
  },
  {
    name: "a $ref that does not resolve",
    source: () => input("dangling.json", JSON.stringify(withDanglingRef())),
    exit: EXIT.unresolvedRef,
    message: /\$refs that do not resolve:\n.*#\/paths\/~1v1~1users~1credits\/get\/.*NoSuchSchema/,
  },
  {
    name: "a missing file",
    source: async () => join(project.dir, "no-such-spec.json"),
    exit: EXIT.download,
    message: /cannot read .*no-such-spec\.json/,
  },
  {
    name: "a download answered with HTTP 500",
    source: async () => `${serverUrl}/fail`,
    exit: EXIT.download,
    message: /download of http:\/\/127\.0\.0\.1:\d+\/fail failed: HTTP 500/,
  },
  {
    name: "a download that hangs past the timeout",
    source: async () => `${serverUrl}/hang`,
    args: ["--timeout", "500"],
    exit: EXIT.download,
    message: /download of http:\/\/127\.0\.0\.1:\d+\/hang timed out after 500 ms/,
  },
  {
    name: "a spec the generator cannot render",
    source: () => input("no-success.json", JSON.stringify(withoutSuccessResponse())),
    exit: EXIT.generator,
    message: /the generator failed on it: GET \/v1\/users\/credits declares no 2xx response/,
  },
  {
    name: "a breaking change with --fail-on-breaking",
    source: () => input("breaking.json", JSON.stringify(withBreakingChange())),
    args: ["--fail-on-breaking"],
    exit: EXIT.breaking,
    message: /--fail-on-breaking: 1 breaking change\(s\); openapi.json and generated\/ are unchanged/,
  },
];

/** Runs spec:update in this process against the copy, collecting what it prints. */
async function update(args: string[]): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    root: project.dir,
    log: (text) => (stdout += `${text}\n`),
    error: (text) => (stderr += `${text}\n`),
  });
  return { code, stdout, stderr };
}

describe.concurrent("spec:update leaves the project untouched when it refuses", () => {
  for (const { name, source, args = [], exit, message } of badInputs) {
    test(name, { timeout: 60_000 }, async () => {
      const result = await update([await source(), ...args]);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("openapi.json and generated/ are unchanged.");
      expect(result.code).toBe(exit);
      expect(await snapshot(project.dir)).toEqual(before);
    });
  }
});

describe("spec:update on an unchanged spec", () => {
  test("the vendored spec given back as YAML changes nothing and reports no change", { timeout: 60_000 }, async () => {
    const yaml = await input("same.yaml", stringify(vendored));
    const report = await input("same-report.md", "");
    const result = await update([yaml, "--report", report]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain("No operation changed.");
    expect(result.stdout).toContain("openapi.json and generated/ were already up to date");
    expect(await readFile(report, "utf8")).toContain("No operation changed.");
    expect(await snapshot(project.dir)).toEqual(before);
  });
});

describe("spec:update as a command", () => {
  test("exits with the code of the refusal and says why", { timeout: 60_000 }, async () => {
    const result = await runScript(project.dir, "scripts/spec-update.ts", [await input("cli.json", "not: [json")]);
    expect(result.stderr).toContain("spec:update refused the spec:");
    expect(result.code).toBe(EXIT.parse);
    expect(await snapshot(project.dir)).toEqual(before);
  });

  test("usage errors exit with the usage code", { timeout: 60_000 }, async () => {
    const result = await runScript(project.dir, "scripts/spec-update.ts", ["--no-such-flag"]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("usage: npm run spec:update");
  });
});
