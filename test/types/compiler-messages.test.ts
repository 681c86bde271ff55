// What the compiler tells a user, checked by compiling snippets as a user's project would
// (strict, exactOptionalPropertyTypes on): the common mistakes name the path at fault, and the
// common correct calls compile.
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const HEADER = `import { LiveAvatar } from "./src/index.ts";\ndeclare const client: LiveAvatar;\n`;

const SNIPPETS = {
  typo: `client.GET("/v1/avatar");`,
  wrongMethod: `client.GET("/v1/sessions/token");`,
  notAList: `client.paginate("/v1/languages");`,
  exactOptional: `
    declare const env: Record<string, string | undefined>;
    new LiveAvatar({ apiKey: env.LIVEAVATAR_API_KEY, sessionToken: env.TOKEN, baseUrl: env.URL, timeout: undefined });
    client.GET("/v1/avatars", { signal: undefined, timeout: undefined, auth: undefined });`,
  fetchOptions: `
    client.GET("/v1/avatars", { fetchOptions: { cache: "no-store", next: { revalidate: 60 } } });
    client.POST("/v1/sessions/stop", { auth: "sessionToken", fetchOptions: { keepalive: true } });
    new LiveAvatar({ fetchOptions: { cache: "no-store" } });`,
} as const;

let messages: Record<keyof typeof SNIPPETS, string[]>;

beforeAll(() => {
  const files = Object.fromEntries(
    Object.entries(SNIPPETS).map(([name, code]) => [join(ROOT, `__snippet_${name}.ts`), HEADER + code]),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts", "lib.esnext.disposable.d.ts"],
    types: [],
    strict: true,
    exactOptionalPropertyTypes: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.fileExists = (name) => name in files || fileExists(name);
  const program = ts.createProgram(Object.keys(files), options, host);
  messages = Object.fromEntries(
    Object.entries(SNIPPETS).map(([name]) => [
      name,
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(join(ROOT, `__snippet_${name}.ts`)))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    ]),
  ) as typeof messages;
}, 60_000);

test.each([
  ["typo", "/v1/avatar"],
  ["wrongMethod", "/v1/sessions/token"],
  ["notAList", "/v1/languages"],
] as const)("a %s names the path it refuses, not the argument count", (name, path) => {
  expect(messages[name]).toHaveLength(1);
  expect(messages[name][0]).toContain(`Argument of type '"${path}"' is not assignable`);
  expect(messages[name][0]).not.toContain("Expected 2 arguments");
});

test.each(["exactOptional", "fetchOptions"] as const)("%s compiles", (name) => {
  expect(messages[name]).toEqual([]);
});
