// node --import tsx scripts/bench/profile.ts [--calls N] [--in-flight N] [--way LiveAvatar|openapi-fetch|fetch] [--out FILE]
// CPU profile of one client's calls against the benchmark server, summarised by function and by
// where the code lives (src/, openapi-fetch, Node internals), to find per-call work worth removing.
// The profile itself (--out) opens in Chrome DevTools or VS Code.
import { Session } from "node:inspector/promises";
import { writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeCallers, WAYS, type Way } from "./callers.ts";
import { ROOT } from "./extras.ts";
import { runCalls } from "./measure.ts";
import { startBenchServer } from "./server.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a frame belongs to. */
function area(url: string): string {
  if (url.includes("/node_modules/openapi-fetch/")) return "openapi-fetch";
  if (url.includes("/src/")) return "src/";
  if (url.includes("/scripts/bench/")) return "benchmark loop";
  if (url.startsWith("node:internal/deps/undici")) return "undici (fetch)";
  if (url.startsWith("node:")) return "node internals";
  if (url === "") return "native / GC / idle";
  return "other";
}

function where(frame: ProfileNode["callFrame"]): string {
  const url = frame.url.startsWith("file:") ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
  // Code loaded through tsx reports line 0 for every function: the name and file are what count then.
  return `${frame.functionName || "(anonymous)"} ${url}${url && frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ""}`;
}

export function summarise(profile: Profile, calls: number, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)") continue;
    byFunction.set(where(node.callFrame), (byFunction.get(where(node.callFrame)) ?? 0) + us);
    byArea.set(area(node.callFrame.url), (byArea.get(area(node.callFrame.url)) ?? 0) + us);
  }
  const perCall = (us: number) => `${(us / calls).toFixed(2).padStart(7)} µs/call`;
  const lines = ["self time by area:"];
  for (const [name, us] of [...byArea].sort((a, b) => b[1] - a[1])) lines.push(`  ${perCall(us)}  ${name}`);
  lines.push(`top ${top} functions by self time:`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${perCall(us)}  ${name}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: "string", default: "20000" },
      "in-flight": { type: "string", default: "1" },
      way: { type: "string", default: "LiveAvatar" },
      out: { type: "string" },
      top: { type: "string", default: "30" },
    },
  });
  const way = values.way as Way;
  if (!WAYS.includes(way)) throw new Error(`--way is one of ${WAYS.join(", ")}`);
  const calls = Number(values.calls);
  const inFlight = Number(values["in-flight"]);
  const server = await startBenchServer();
  try {
    const call = makeCallers(server.url).calls.small[way];
    await runCalls(call, Math.min(calls, 5000), inFlight); // warm-up: optimised code, open sockets
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    const time = await runCalls(call, calls, inFlight);
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
    session.disconnect();
    if (values.out) await writeFile(values.out, JSON.stringify(profile));
    console.log(
      `${way}: ${calls} calls, ${inFlight} in flight, ${time.wallUs.toFixed(1)} µs/call wall, ${time.cpuUs.toFixed(1)} µs/call CPU (profiler on)`,
    );
    console.log(summarise(profile, calls, Number(values.top)));
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
