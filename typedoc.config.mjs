// `npm run docs`: the HTML API reference, written to docs/ (git-ignored).
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "liveavatar-api",
  // One entry point: the package's public API (it re-exports the spec's `paths`/`components`).
  entryPoints: ["src/index.ts"],
  tsconfig: "tsconfig.build.json",
  out: "docs",
  readme: "README.md",
  excludePrivate: true,
  excludeInternal: true,
  // openapi-typescript documents schemas with `@description` and `@constant`.
  blockTags: [...OptionDefaults.blockTags, "@description", "@constant"],
  // The repository has no public remote to link source files to.
  disableSources: true,
  // Type-level helpers that public signatures use but that are not part of the API themselves.
  intentionallyNotExported: [
    "RequiredKeys",
    "Operation",
    "Table",
    "Info",
    "EnvelopeData",
    "SuccessBody",
    "DataKind",
    "APIErrorInit",
    "SessionCalls",
  ],
  sort: ["kind", "instance-first", "alphabetical-ignoring-documents"],
};
