// Finds the TypeScript code blocks of a Markdown document: fences opened with ```ts or
// ```typescript (other languages and ```ts blocks inside longer fences are left alone).
export interface CodeBlock {
  /** A file-name-safe id, unique across documents, e.g. "docs-backend-md-L42". */
  id: string;
  /** The document's path relative to the repository, e.g. "docs/backend.md". */
  document: string;
  /** The line of the opening fence (1-based); code line n is document line `line + n`. */
  line: number;
  code: string;
  /** Module names the block imports from (`import ... from "x"`, `import "x"`, `import("x")`). */
  imports: string[];
}

const OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

export function extractBlocks(document: string, markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) body.push(lines[i]!);
    if (!["ts", "typescript"].includes(open[3]!.toLowerCase())) continue;
    const code = body.join("\n");
    blocks.push({
      id: `${document.replace(/[^\w]+/g, "-")}-L${start + 1}`,
      document,
      line: start + 1,
      code,
      imports: importsOf(code),
    });
  }
  return blocks;
}

function importsOf(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) names.add(match[1]!);
  return [...names];
}
