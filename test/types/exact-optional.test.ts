// Under `exactOptionalPropertyTypes`, an optional field declared `field?: T` refuses an explicit
// `undefined`, so passing an optional value through (`{ signal: options.signal }`) fails to
// compile in a user's strict project. Every optional field of every exported options type is
// declared `field?: T | undefined`; this test walks all of them, in every entry of the package
// (read from package.json "exports", so a new entry or a new options type cannot slip), and
// names each type and field that refuses `undefined`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
/** What counts as an options type: an exported type whose name ends so (e.g. `ClientOptions`). */
const OPTIONS_NAME = /Options$/;

interface Check {
  /** e.g. `liveavatar-api/realtime LiteConnectOptions.signal` */
  label: string;
  /** The statement that compiles only if the field accepts `undefined`. */
  line: string;
  /** The field as declared, e.g. `signal?: AbortSignal`. */
  declared: string;
}

/** The source file of each entry: "./realtime" (dist/realtime.d.ts) -> src/realtime/index.ts. */
function entrySources(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, string | { import?: { types?: string } }>;
  };
  const out: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const types = typeof target === "object" ? target.import?.types : undefined;
    if (!types) continue; // ./package.json, ./openapi.json
    const stem = types.replace(/^\.\/dist\//, "").replace(/\.d\.ts$/, "");
    const candidates = [`src/${stem}.ts`, `src/${stem}/index.ts`, `generated/${stem}.ts`];
    const source = candidates.find((file) => existsSync(join(ROOT, file)));
    if (!source) throw new Error(`no source for the entry ${subpath} (tried ${candidates.join(", ")})`);
    out[join(manifest.name, subpath)] = source;
  }
  return out;
}

/** One check per optional field (and per optional field of an inline object type inside it). */
function fieldChecks(
  checker: ts.TypeChecker,
  type: ts.Type,
  typeExpression: string,
  label: string,
  importName: string,
): Check[] {
  const checks: Check[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    if (!(property.flags & ts.SymbolFlags.Optional)) continue;
    const key = JSON.stringify(property.name);
    const declared = property.valueDeclaration;
    const node = declared && ts.isPropertySignature(declared) ? declared.type : undefined;
    const text = node ? node.getText() : checker.typeToString(checker.getTypeOfSymbol(property));
    checks.push({
      label: `${label}.${property.name}`,
      line: `void ({ [${key}]: undefined } satisfies Pick<${typeExpression}, ${key}>); // ${importName}`,
      declared: `${property.name}?: ${text.replace(/\s+/g, " ")}`,
    });
    const literal = node && ts.isUnionTypeNode(node) ? node.types.find(ts.isTypeLiteralNode) : node;
    if (literal && ts.isTypeLiteralNode(literal)) {
      const inner = checker.getNonNullableType(checker.getTypeOfSymbol(property));
      checks.push(
        ...fieldChecks(
          checker,
          inner,
          `NonNullable<${typeExpression}[${key}]>`,
          `${label}.${property.name}`,
          importName,
        ),
      );
    }
  }
  return checks;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts", "lib.esnext.disposable.d.ts"],
  types: ["node"],
  strict: true,
  exactOptionalPropertyTypes: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
};

let typesByEntry: Record<string, string[]>;
let checks: Check[];
let failures: string[];

beforeAll(() => {
  const entries = entrySources();
  // Pass 1: find the exported options types of each entry, and their optional fields.
  const program = ts.createProgram(
    Object.values(entries).map((file) => join(ROOT, file)),
    COMPILER_OPTIONS,
  );
  const checker = program.getTypeChecker();
  typesByEntry = {};
  checks = [];
  const imports: string[] = [];
  for (const [entry, file] of Object.entries(entries)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, file))!)!;
    const names: string[] = [];
    for (const exported of checker.getExportsOfModule(module)) {
      if (!OPTIONS_NAME.test(exported.name)) continue;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) continue;
      names.push(exported.name);
      const local = `T${imports.length}`;
      imports.push(`import type { ${exported.name} as ${local} } from ${JSON.stringify(`./${file}`)};`);
      const parameters = symbol.declarations?.find(
        (d): d is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
          ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d),
      )?.typeParameters;
      // Generic options types are checked with `any` for each type parameter without a default.
      const args = parameters?.some((p) => !p.default) ? `<${parameters.map(() => "any").join(", ")}>` : "";
      checks.push(
        ...fieldChecks(
          checker,
          checker.getDeclaredTypeOfSymbol(symbol),
          `${local}${args}`,
          `${entry} ${exported.name}`,
          local,
        ),
      );
    }
    typesByEntry[entry] = names.sort();
  }
  // Pass 2: one statement per field, compiled as a user's strict project compiles it.
  const snippet = join(ROOT, "__exact_optional_snippet.ts");
  const header = `${imports.join("\n")}\n`;
  const source = header + checks.map((check) => check.line).join("\n") + "\n";
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => (name === snippet ? source : readFile(name));
  host.fileExists = (name) => name === snippet || fileExists(name);
  const snippetProgram = ts.createProgram([snippet], COMPILER_OPTIONS, host);
  const file = snippetProgram.getSourceFile(snippet)!;
  const firstCheckLine = imports.length;
  const failed = new Map<string, string>();
  for (const diagnostic of ts.getPreEmitDiagnostics(snippetProgram, file)) {
    const line = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line - firstCheckLine;
    const check = checks[line];
    const message = check
      ? `refuses undefined: declared \`${check.declared}\``
      : ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    failed.set(check ? check.label : `(snippet line ${line + firstCheckLine + 1})`, message);
  }
  failures = [...failed].map(([label, message]) => `${label} ${message}`);
}, 120_000);

test("every entry is walked, and each exports its options types", () => {
  for (const entry of ["liveavatar-api", "liveavatar-api/realtime", "liveavatar-api/testing"]) {
    expect(typesByEntry[entry], entry).toEqual(expect.arrayContaining([expect.stringMatching(OPTIONS_NAME)]));
  }
  expect(typesByEntry["liveavatar-api"]).toEqual(expect.arrayContaining(["ClientOptions", "RequestOptions"]));
  expect(checks.length).toBeGreaterThan(20);
});

test("every optional field of every exported options type accepts an explicit undefined", () => {
  expect(failures).toEqual([]);
});
