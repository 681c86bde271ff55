// `npm run docs`: one HTML site in site/ (git-ignored): the README as its front page, the guides
// in docs/ as project documents, and the API reference generated from the sources.
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "liveavatar-api",
  // The package's public entries (the main one re-exports the spec's `paths`/`components`).
  entryPoints: [
    "src/index.ts",
    "src/realtime/index.ts",
    "src/testing/index.ts",
    "src/testing/msw.ts",
    "src/drift/index.ts",
  ],
  // The testing entry's server needs Node's types; the others build with or without them.
  tsconfig: "tsconfig.testing.json",
  out: "site",
  readme: "README.md",
  // The guides (docs/*.md), each a page of the site; links between them are rewritten.
  projectDocuments: ["docs/*.md"],
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
    "IsUnion",
    "Received",
    "Unwrapped",
    "OperationTable",
    "Spelling",
    "Readable",
    "SpellingsOf",
  ],
  sort: ["kind", "instance-first", "alphabetical-ignoring-documents"],
};
