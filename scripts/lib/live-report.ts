// Groups what the live contract check saw by operation: the statuses the server answered,
// Prism's violations (deduplicated: the suite calls each operation more than once) and the
// contract test's outcome, then renders it as text or Markdown.
import type { Exchange, Violation } from "./violation-recorder.ts";

export interface TestOutcome {
  /** "passed", "failed", ... as vitest reports it. */
  status: string;
  /** The first line of the first failure, when it failed. */
  failure?: string;
}

export interface OperationReport {
  key: string;
  operationId: string;
  requests: number;
  statuses: number[];
  violations: Violation[];
  /** Requests the hop could not pass on to Prism. */
  errors: string[];
  test: TestOutcome | null;
}

export interface LiveReport {
  upstream: string;
  operations: OperationReport[];
  /** Requests that matched no operation of the spec. */
  unmatched: Exchange[];
  errorCount: number;
  warningCount: number;
}

export function buildLiveReport(
  upstream: string,
  operations: Array<{ key: string; operationId: string }>,
  exchanges: Exchange[],
  outcomes: Map<string, TestOutcome>,
): LiveReport {
  const reports = operations.map((op): OperationReport => {
    const mine = exchanges.filter((e) => e.operation === op.key);
    const seen = new Map<string, Violation>();
    for (const v of mine.flatMap((e) => e.violations)) seen.set(`${v.severity}|${v.location}|${v.message}`, v);
    return {
      key: op.key,
      operationId: op.operationId,
      requests: mine.length,
      statuses: [...new Set(mine.map((e) => e.status).filter((s): s is number => s !== null))].sort(),
      violations: [...seen.values()],
      errors: [...new Set(mine.flatMap((e) => (e.error ? [e.error] : [])))],
      test: outcomes.get(op.key) ?? null,
    };
  });
  const all = reports.flatMap((r) => r.violations);
  return {
    upstream,
    operations: reports,
    unmatched: exchanges.filter((e) => e.operation === null),
    errorCount: all.filter((v) => v.severity.toLowerCase() === "error").length,
    warningCount: all.filter((v) => v.severity.toLowerCase() !== "error").length,
  };
}

function isClean(op: OperationReport): boolean {
  return op.violations.length === 0 && op.errors.length === 0;
}

function describeTest(test: TestOutcome | null): string {
  if (!test) return "test: not run";
  return test.failure ? `test: ${test.status} (${test.failure})` : `test: ${test.status}`;
}

export function renderLiveText(report: LiveReport): string {
  const withFindings = report.operations.filter((op) => !isClean(op));
  const lines = [
    `Live contract report for ${report.upstream}`,
    `${report.operations.length} read-only operations; ${withFindings.length} with violations ` +
      `(${report.errorCount} errors, ${report.warningCount} warnings)`,
    "",
  ];
  for (const op of withFindings) {
    lines.push(`${op.key} (${op.operationId})`);
    lines.push(`  requests: ${op.requests}, statuses: ${op.statuses.join(", ") || "none"}; ${describeTest(op.test)}`);
    for (const v of op.violations)
      lines.push(`  ${v.severity.toLowerCase().padEnd(7)} ${v.location || "-"}: ${v.message}`);
    for (const e of op.errors) lines.push(`  error   not forwarded: ${e}`);
  }
  const clean = report.operations.filter(isClean);
  if (clean.length > 0) {
    lines.push("", "No violations:");
    for (const op of clean)
      lines.push(`  ${op.key} (statuses: ${op.statuses.join(", ") || "none"}; ${describeTest(op.test)})`);
  }
  if (report.unmatched.length > 0) {
    lines.push("", "Requests that match no operation of the spec:");
    for (const e of report.unmatched) lines.push(`  ${e.method} ${e.url} -> ${e.status ?? e.error}`);
  }
  lines.push("");
  return lines.join("\n");
}

export function renderLiveMarkdown(report: LiveReport): string {
  const lines = [
    "## Live contract report",
    "",
    `Upstream: ${report.upstream} · ${report.errorCount} errors, ${report.warningCount} warnings`,
    "",
  ];
  for (const op of report.operations) {
    lines.push(`### \`${op.key}\``, "", `Statuses: ${op.statuses.join(", ") || "none"} · ${describeTest(op.test)}`, "");
    if (isClean(op)) lines.push("No violations.");
    for (const v of op.violations) lines.push(`- ${v.severity}: \`${v.location || "-"}\` ${v.message}`);
    for (const e of op.errors) lines.push(`- Error: not forwarded: ${e}`);
    lines.push("");
  }
  return lines.join("\n");
}
