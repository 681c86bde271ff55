// `npm run docs`: one HTML site in site/ (git-ignored): the README as its front page, the guides
// in docs/ as project documents, and the API reference generated from the sources.
import { existsSync } from "node:fs";
import { OptionDefaults } from "typedoc";

// Subpath entries (`liveavatar-api/realtime`, `/testing`) get their reference pages once they exist.
const entries = ["src/index.ts", "src/realtime/index.ts", "src/testing/index.ts"].filter((file) => existsSync(file));
// The README and the guides link docs/realtime.md and docs/testing.md, which are written apart
// from the rest. While one is missing its links cannot resolve; that alone is tolerated, so that
// `npm run docs -- --treatWarningsAsErrors` (in .ci/run) still catches every other problem.
const guidesComplete = ["docs/realtime.md", "docs/testing.md"].every((file) => existsSync(file));

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "liveavatar-api",
  // The package's public entries (the main one re-exports the spec's `paths`/`components`).
  entryPoints: entries,
  tsconfig: "tsconfig.build.json",
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
  ],
  validation: { invalidPath: guidesComplete },
  sort: ["kind", "instance-first", "alphabetical-ignoring-documents"],
};
