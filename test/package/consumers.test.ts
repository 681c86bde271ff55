// The packed tarball, installed into scratch projects the way users install it: an ESM project
// that `import`s it, a CommonJS one that `require`s it (each making a real call against the
// mock), and a TypeScript one that type-checks a call under `node16` and `bundler` resolution.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientFor, contractUrl, TEST_API_KEY } from "../support/client.ts";
import { packedPackage, removeProject, ROOT, scratchProject } from "./pack.ts";

const run = promisify(execFile);
const avatar_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const projects: string[] = [];

beforeAll(async () => {
  await packedPackage();
}, 180_000);

afterAll(() => projects.forEach(removeProject));

async function project(name: string, files: Record<string, string>): Promise<string> {
  const dir = await scratchProject(name, files);
  projects.push(dir);
  return dir;
}

/** Runs a consumer with only the environment a user would set; it prints one JSON line. */
async function runConsumer(dir: string, file: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [file], {
    cwd: dir,
    env: { PATH: process.env.PATH, LIVEAVATAR_BASE_URL: contractUrl, LIVEAVATAR_API_KEY: TEST_API_KEY },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

// The same body for both module systems; only how the package is loaded differs.
const consumerBody = (load: string) => `${load}
async function main() {
  // Key and base URL come from LIVEAVATAR_API_KEY and LIVEAVATAR_BASE_URL.
  const client = new LiveAvatar({ maxRetries: 0 });
  const avatar = await client.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id: "${avatar_id}" } } });
  const refused = await client
    .GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id: "${avatar_id}" } }, auth: false })
    .catch((error) => error);
  console.log(JSON.stringify({
    avatar,
    refused: { isAuthError: refused instanceof AuthenticationError, isBase: refused instanceof LiveAvatarError, status: refused.status },
    resolved: { main: resolve("liveavatar-api"), schema: resolve("liveavatar-api/schema") },
    operations: Object.keys(operations).length,
  }));
}
`;

describe("runtime consumers", () => {
  test("an ESM project imports the package and calls the mock", async () => {
    const dir = await project("esm", {
      "package.json": JSON.stringify({ name: "esm-consumer", private: true, type: "module" }),
      "index.js":
        consumerBody(
          `import { LiveAvatar, AuthenticationError, LiveAvatarError, operations } from "liveavatar-api";
import "liveavatar-api/schema";
const resolve = (name) => import.meta.resolve(name);`,
        ) + "await main();\n",
    });
    const printed = await runConsumer(dir, "index.js");
    expect(printed.avatar).toEqual(
      await clientFor(contractUrl, { maxRetries: 0 }).GET("/v1/avatars/{avatar_id}", {
        params: { path: { avatar_id } },
      }),
    );
    expect(printed.refused).toEqual({ isAuthError: true, isBase: true, status: 401 });
    expect(printed.resolved).toEqual({
      main: expect.stringMatching(/\/node_modules\/liveavatar-api\/dist\/index\.js$/),
      schema: expect.stringMatching(/\/node_modules\/liveavatar-api\/dist\/schema\.js$/),
    });
    expect(printed.operations).toBeGreaterThan(30);
  });

  test("a CommonJS project requires the package and calls the mock", async () => {
    const dir = await project("cjs", {
      "package.json": JSON.stringify({ name: "cjs-consumer", private: true, type: "commonjs" }),
      "index.js":
        consumerBody(
          `const { LiveAvatar, AuthenticationError, LiveAvatarError, operations } = require("liveavatar-api");
require("liveavatar-api/schema");
const resolve = (name) => require.resolve(name);`,
        ) + "main().catch((error) => { console.error(error); process.exitCode = 1; });\n",
    });
    const printed = await runConsumer(dir, "index.js");
    expect(printed.avatar).toEqual(
      await clientFor(contractUrl, { maxRetries: 0 }).GET("/v1/avatars/{avatar_id}", {
        params: { path: { avatar_id } },
      }),
    );
    expect(printed.refused).toEqual({ isAuthError: true, isBase: true, status: 401 });
    expect(printed.resolved).toEqual({
      main: expect.stringMatching(/\/node_modules\/liveavatar-api\/dist\/index\.cjs$/),
      schema: expect.stringMatching(/\/node_modules\/liveavatar-api\/dist\/schema\.cjs$/),
    });
    expect(printed.operations).toBeGreaterThan(30);
  });
});

// A typed call, the data type used, and mistakes that must not compile (if the declarations
// degraded to `any`, the @ts-expect-error lines would fail the check).
const typedCall = `
export async function avatarName(client: LiveAvatar, avatar_id: string): Promise<string> {
  const avatar = await client.GET("/v1/avatars/{avatar_id}", { params: { path: { avatar_id } } });
  const created: string = avatar.created_at;
  // @ts-expect-error a field the schema does not have
  avatar.no_such_field;
  // @ts-expect-error the path parameter is required
  await client.GET("/v1/avatars/{avatar_id}", { params: { path: {} } });
  // @ts-expect-error not an operation of the spec
  await client.GET("/v1/no-such-path");
  return avatar.name + created;
}

export function mintBody(avatar_id: string): components["schemas"]["LiteSDKSessionTokenConfigDataSchema"] {
  return { mode: "LITE", avatar_id };
}

export function describeError(error: unknown): string {
  if (error instanceof NotFoundError) return \`not found: \${error.status}\`;
  if (error instanceof LiveAvatarError) return error.name;
  return "unknown";
}

export const client = new LiveAvatar({ apiKey: "key", baseUrl: "http://127.0.0.1:1" });
export type Avatar = paths["/v1/avatars/{avatar_id}"]["get"]["responses"][200]["content"]["application/json"];
`;
const typedImports = `import { LiveAvatar, LiveAvatarError, NotFoundError } from "liveavatar-api";
import type { components, paths } from "liveavatar-api/schema";`;

interface Project {
  module: string;
  moduleResolution: string;
  lib: string[];
  skipLibCheck: boolean;
  files: string[];
}

function tsconfig({ files, ...options }: Project): string {
  // No Node types: the declarations must not need them.
  return JSON.stringify({
    compilerOptions: { ...options, target: "ES2022", types: [], strict: true, noEmit: true },
    files,
  });
}

// Three consumers: node16 resolution checking the declarations themselves; a typical bundler
// app template (skipLibCheck on); and a typical browser project that checks the declarations
// (skipLibCheck off) with `lib: ["ES2022", "DOM"]` and no @types/node, where `AsyncDisposable`
// and `Symbol.asyncDispose` (LiveAvatarSession supports `await using`) exist only because the
// shipped declarations reference ESNext.Disposable themselves.
const node16: Project = {
  module: "Node16",
  moduleResolution: "Node16",
  lib: ["ES2022", "DOM", "DOM.Iterable", "ESNext.Disposable"],
  skipLibCheck: false,
  files: ["src/esm.mts", "src/cjs.cts"],
};
const bundler: Project = {
  module: "ESNext",
  moduleResolution: "Bundler",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  skipLibCheck: true,
  files: ["src/app.ts"],
};
const browser: Project = {
  module: "ESNext",
  moduleResolution: "Bundler",
  lib: ["ES2022", "DOM"],
  skipLibCheck: false,
  files: ["src/page.ts"],
};

// The page uses the session as a disposable, which needs the declarations' lib reference.
const sessionUse = `
export async function startAndDispose(client: LiveAvatar): Promise<void> {
  const session = await client.startSession({ keepAliveInterval: false });
  const disposable: AsyncDisposable = session;
  await disposable[Symbol.asyncDispose]();
}
`;

/** The compiler's errors, and which of the package's declaration files it loaded. */
async function typeCheck(dir: string, config: string): Promise<{ errors: string[]; declarations: string[] }> {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const output = await run(process.execPath, [tsc, "-p", config, "--pretty", "false", "--listFiles"], {
    cwd: dir,
  }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout || String(error),
  );
  const lines = output.split("\n");
  return {
    errors: lines.filter((line) => / error TS\d+/.test(line)),
    declarations: lines
      .map((line) => /node_modules\/liveavatar-api\/(.+)$/.exec(line.trim())?.[1])
      .filter((file) => file !== undefined)
      .sort(),
  };
}

test("a TypeScript project type-checks a real call under node16 and bundler resolution, and as a browser project", async () => {
  const dir = await project("ts", {
    "package.json": JSON.stringify({ name: "ts-consumer", private: true, type: "module" }),
    "tsconfig.node16.json": tsconfig(node16),
    "tsconfig.bundler.json": tsconfig(bundler),
    "tsconfig.browser.json": tsconfig(browser),
    // Under node16 an .mts file takes the `import` condition and a .cts file the `require` one.
    "src/esm.mts": typedImports + typedCall,
    "src/cjs.cts": typedImports + typedCall,
    "src/app.ts": typedImports + typedCall,
    "src/page.ts": typedImports + typedCall + sessionUse,
  });
  const [node16Result, bundlerResult, browserResult] = await Promise.all([
    typeCheck(dir, "tsconfig.node16.json"),
    typeCheck(dir, "tsconfig.bundler.json"),
    typeCheck(dir, "tsconfig.browser.json"),
  ]);
  expect(node16Result.errors).toEqual([]);
  expect(bundlerResult.errors).toEqual([]);
  expect(browserResult.errors).toEqual([]);
  // Each module system got its own declarations (besides any chunk shared between entries,
  // dist/<name>-<hash>.d.ts / .d.cts).
  const own = (files: string[]) => files.filter((file) => !/^dist\/[\w-]+-[\w-]{8}\.d\.c?ts$/.test(file));
  expect(own(browserResult.declarations)).toEqual(["dist/index.d.ts", "dist/schema.d.ts"]);
  expect(own(node16Result.declarations)).toEqual([
    "dist/index.d.cts",
    "dist/index.d.ts",
    "dist/schema.d.cts",
    "dist/schema.d.ts",
  ]);
  expect(own(bundlerResult.declarations)).toEqual(["dist/index.d.ts", "dist/schema.d.ts"]);
}, 90_000);
