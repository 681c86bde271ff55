// Renders a SpecDiff for people: plain text for the terminal, Markdown for a pull-request body.
import type { Change, OperationRef, SpecDiff, Untyped } from "./spec-diff.ts";

export function hasBreaking(diff: SpecDiff): boolean {
  return diff.breaking > 0;
}

function headline(diff: SpecDiff): string {
  const side = (s: SpecDiff["before"]) => `${s.title || "spec"} ${s.version} (${s.operations} operations)`;
  return `${side(diff.before)} -> ${side(diff.after)}`;
}

function counts(diff: SpecDiff): string {
  return (
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed; ` +
    `${diff.breaking} breaking, ${diff.warning} warning${diff.warning === 1 ? "" : "s"}, ${diff.nonBreaking} non-breaking`
  );
}

function isEmpty(diff: SpecDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

const TEXT_LABEL: Record<Change["severity"], string> = {
  breaking: "BREAKING    ",
  warning: "WARNING     ",
  "non-breaking": "non-breaking",
};
const MARKDOWN_LABEL: Record<Change["severity"], string> = {
  breaking: "**breaking**",
  warning: "**warning**",
  "non-breaking": "non-breaking",
};

function result(diff: SpecDiff): string {
  const warnings = diff.warning > 0 ? `; ${diff.warning} warning${diff.warning === 1 ? "" : "s"} to review` : "";
  return (hasBreaking(diff) ? `BREAKING for callers (${diff.breaking})` : "no breaking change") + warnings;
}

const name = (op: OperationRef) => `${op.key} (${op.operationId})`;

const UNTYPED_TITLE = "Schemas that promise nothing (empty or {}: generated as `unknown`, never checked)";

function untypedTitle(diff: SpecDiff): string {
  const fresh = diff.untyped.filter((u) => u.isNew).length;
  return `${UNTYPED_TITLE}: ${diff.untyped.length}, ${fresh} new`;
}

/** "Response.data (POST /a, GET /b and 3 more)". */
function untypedLine(u: Untyped): string {
  // An inline body already names its operation.
  const users = u.usedBy.filter((op) => !u.where.startsWith(`${op} `));
  const shown = users.slice(0, 3).join(", ");
  const more = users.length > 3 ? ` and ${users.length - 3} more` : "";
  return users.length > 0 ? `${u.where} (${shown}${more})` : u.where;
}

export function renderText(diff: SpecDiff): string {
  const lines = [`Spec change report: ${headline(diff)}`];
  if (isEmpty(diff)) return [...lines, "No operation changed.", ""].join("\n");
  lines.push(counts(diff), "");
  const label = (c: Change) => TEXT_LABEL[c.severity];
  if (diff.added.length > 0) {
    lines.push("Added operations (non-breaking):");
    for (const op of diff.added) lines.push(`  + ${name(op)}`);
  }
  if (diff.removed.length > 0) {
    lines.push("Removed operations (BREAKING):");
    for (const op of diff.removed) lines.push(`  - ${name(op)}`);
  }
  if (diff.changed.length > 0) {
    lines.push("Changed operations:");
    for (const op of diff.changed) {
      lines.push(`  ${name(op)}`);
      for (const c of op.changes) lines.push(`    ${label(c)}  ${c.area}: ${c.message}`);
    }
  }
  if (diff.untyped.length > 0) {
    lines.push("", `${untypedTitle(diff)}:`);
    for (const u of diff.untyped) lines.push(`  ${u.isNew ? "new" : "   "}  ${untypedLine(u)}`);
  }
  lines.push("", `Result: ${result(diff)}`, "");
  return lines.join("\n");
}

export function renderMarkdown(diff: SpecDiff): string {
  const lines = ["## OpenAPI spec change report", "", `${headline(diff).replace("->", "→")}`, ""];
  if (isEmpty(diff)) return [...lines, "No operation changed.", ""].join("\n");
  const warnings = diff.warning > 0 ? ` · **${diff.warning} to review**` : "";
  lines.push(
    (hasBreaking(diff)
      ? `**Breaking for callers: ${diff.breaking}** · ${counts(diff)}`
      : `No breaking change · ${counts(diff)}`) + warnings,
    "",
  );
  const code = (op: OperationRef) => `\`${op.key}\` (\`${op.operationId}\`)`;
  if (diff.added.length > 0) {
    lines.push("### Added operations (non-breaking)", "", ...diff.added.map((op) => `- ${code(op)}`), "");
  }
  if (diff.removed.length > 0) {
    lines.push("### Removed operations (**breaking**)", "", ...diff.removed.map((op) => `- ${code(op)}`), "");
  }
  if (diff.changed.length > 0) {
    lines.push("### Changed operations", "");
    for (const op of diff.changed) {
      lines.push(`#### ${code(op)}`, "");
      for (const c of op.changes) {
        lines.push(`- ${MARKDOWN_LABEL[c.severity]} · ${c.area}: ${c.message}`);
      }
      lines.push("");
    }
  }
  if (diff.untyped.length > 0) {
    lines.push(`### ${untypedTitle(diff)}`, "");
    for (const u of diff.untyped)
      lines.push(`- ${u.isNew ? "**new** · " : ""}\`${u.where}\`${untypedLine(u).slice(u.where.length)}`);
    lines.push("");
  }
  return lines.join("\n");
}
