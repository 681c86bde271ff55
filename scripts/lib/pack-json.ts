/**
 * The JSON report in `npm pack --json`'s stdout. The build (prepack) logs to the same stdout first,
 * with ANSI colours under CI=true, so the report is what starts at a line holding only "[".
 */
export function packReport<T = { filename: string; files: { path: string }[] }>(stdout: string): T {
  const start = stdout.search(/^\[\s*$/m);
  if (start < 0) throw new Error(`npm pack printed no JSON report:\n${stdout.slice(-2000)}`);
  const [info] = JSON.parse(stdout.slice(start)) as T[];
  return info!;
}
