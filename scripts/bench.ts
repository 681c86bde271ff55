// npm run bench [-- --quick] [-- --json FILE] [-- --calls N] [-- --skip-extras]
// What the client costs per call next to raw fetch and bare openapi-fetch, over a local
// keep-alive server; heap retained per call; generate time, cold import time, bundle size.
// Figures are printed, never asserted: a benchmark is not a test.
//   --quick        fewer rounds and calls (a smoke run, ~30 s)
//   --json FILE    also write every figure, each round included, as JSON
//   --calls N      N calls per run everywhere (tests of the benchmark itself)
//   --skip-extras  leave out generate time, import time and bundle size
import { isDeepStrictEqual, parseArgs } from "node:util";
import { writeFile } from "node:fs/promises";
import { LARGE_BODY, SMALL_BODY } from "./bench/bodies.ts";
import { makeCallers, OPERATIONS, WAYS, type BodySize, type Way } from "./bench/callers.ts";
import { measureBundle, measureGenerate, measureImport } from "./bench/extras.ts";
import {
  collectGarbage,
  median,
  orderings,
  runCalls,
  traceHeap,
  type HeapTrace,
  type RunTime,
} from "./bench/measure.ts";
import {
  callTable,
  describeMachine,
  extrasTable,
  heapLines,
  ratio,
  targetTable,
  type Row,
  type Target,
} from "./bench/report.ts";
import { startBenchServer } from "./bench/server.ts";

interface Plan {
  /** Measured rounds; each runs the three clients in a different order. */
  rounds: number;
  calls: Record<BodySize, Record<"sequential" | "concurrent", number>>;
  heapCalls: number;
  generateRuns: number;
  importRuns: number;
}

const IN_FLIGHT = 32;
const HEAP_CHECKPOINTS = 10;
// Many short rounds rather than a few long ones: a round's three runs then lie close together
// in time, so a change in the machine's load hits all three alike and the per-round ratios hold.
const FULL: Plan = {
  rounds: 24,
  calls: { small: { sequential: 500, concurrent: 1000 }, large: { sequential: 250, concurrent: 500 } },
  heapCalls: 100_000,
  generateRuns: 5,
  importRuns: 10,
};
const QUICK: Plan = {
  rounds: 6,
  calls: { small: { sequential: 100, concurrent: 200 }, large: { sequential: 50, concurrent: 100 } },
  heapCalls: 5_000,
  generateRuns: 1,
  importRuns: 3,
};
/** Below this many bytes retained per call, the heap is taken as flat (one closure is ~32 bytes). */
const HEAP_FLAT_BYTES_PER_CALL = 10;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      calls: { type: "string" },
      "skip-extras": { type: "boolean", default: false },
    },
  });
  const plan = structuredClone(values.quick ? QUICK : FULL);
  if (values.calls) {
    // Every per-round count (and the heap trace) set to N: for smoke runs of the benchmark itself.
    const n = Number(values.calls);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--calls takes a positive integer, got ${values.calls}`);
    for (const body of ["small", "large"] as const) plan.calls[body] = { sequential: n, concurrent: n };
    plan.heapCalls = Math.max(n, 100);
  }

  const machine = describeMachine();
  console.log("# LiveAvatar client benchmark\n");
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}`);
  console.log(`load average at start: ${machine.loadAverageAtStart.join(" ")}`);
  console.log(
    `server: node:http on 127.0.0.1 in a child process, keep-alive; small body ${SMALL_BODY.length} B, large body ${LARGE_BODY.length} B`,
  );
  console.log(
    `method: ${plan.rounds} measured rounds after 1 warm-up round, the three clients in a different order each round; medians quoted\n`,
  );

  const server = await startBenchServer();
  let callsMade = 0;
  const rows: Row[] = [];
  let heap: { LiveAvatar: HeapTrace; fetch: HeapTrace };
  try {
    const { calls } = makeCallers(server.url);
    await checkAnswers(calls);
    callsMade += 2 * WAYS.length;

    const ways = orderings(WAYS);
    for (const body of ["small", "large"] as const) {
      for (const mode of ["sequential", "concurrent"] as const) {
        const n = plan.calls[body][mode];
        const inFlight = mode === "sequential" ? 1 : IN_FLIGHT;
        const perRound: Record<Way, RunTime>[] = [];
        for (let round = 0; round <= plan.rounds; round++) {
          const times = {} as Record<Way, RunTime>;
          for (const way of ways[round % ways.length]!) {
            collectGarbage(); // each run starts from a clean heap, so one run's garbage is not another's pause
            times[way] = await runCalls(calls[body][way], n, inFlight);
            callsMade += n;
          }
          if (round > 0) perRound.push(times); // round 0 is the warm-up
        }
        for (const way of WAYS) rows.push(summarise(body, inFlight, way, n, perRound));
        process.stderr.write(`measured ${body} body, ${inFlight} in flight\n`);
      }
    }

    // The facade's trace, and raw fetch's as the yardstick for how much the heap wanders anyway.
    heap = {
      LiveAvatar: await traceHeap(calls.small.LiveAvatar, plan.heapCalls, IN_FLIGHT, HEAP_CHECKPOINTS),
      fetch: await traceHeap(calls.small.fetch, plan.heapCalls, IN_FLIGHT, HEAP_CHECKPOINTS),
    };
    callsMade += 2 * plan.heapCalls;
    const answered = await server.requests();
    if (answered !== callsMade) throw new Error(`the server answered ${answered} requests for ${callsMade} calls`);
  } finally {
    await server.stop();
  }

  console.log(`## Per call (N calls per round, ${IN_FLIGHT} in flight or one after another)\n`);
  console.log(callTable(rows));
  console.log(
    `\ncalls/s = 1e6 / µs/call; µs/call = wall time / N; CPU = this process's user+system time / N (the server is a separate process).`,
  );
  console.log(
    `ratios are medians of per-round ratios (same round, so load changes on the machine cancel out). Calls per round: ${describeCalls(plan)}.`,
  );
  console.log(`the server answered exactly one request per call (${callsMade.toLocaleString("en-US")} in all).\n`);

  console.log(`## Heap\n`);
  console.log(heapLines(heap.LiveAvatar, `LiveAvatar, small body, ${IN_FLIGHT} in flight`));
  console.log(heapLines(heap.fetch, `raw fetch (for scale), small body, ${IN_FLIGHT} in flight`));
  console.log("");

  let extras;
  if (!values["skip-extras"]) {
    process.stderr.write("measuring generate, import and bundle size\n");
    extras = {
      generate: await measureGenerate(plan.generateRuns),
      import: await measureImport(plan.importRuns),
      bundle: await measureBundle(),
    };
    console.log(`## Outside the call path\n`);
    console.log(extrasTable(extras.generate, extras.import, extras.bundle));
    console.log("");
  }

  const targets = evaluate(rows, heap.LiveAvatar.slopeBytesPerCall, plan.heapCalls >= FULL.heapCalls);
  console.log(`## Targets\n`);
  console.log(targetTable(targets));

  if (values.json) {
    const report = { machine, plan, inFlight: IN_FLIGHT, rows, heap, ...extras, targets };
    await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nresults written to ${values.json}`);
  }
  console.log(`\nreproduce: npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}`);
}

/** Every client must return the same data before any of them is timed. */
async function checkAnswers(calls: ReturnType<typeof makeCallers>["calls"]): Promise<void> {
  const expected = { small: JSON.parse(SMALL_BODY).data, large: JSON.parse(LARGE_BODY).data };
  for (const body of ["small", "large"] as const) {
    for (const way of WAYS) {
      const data = await calls[body][way]();
      if (!isDeepStrictEqual(data, expected[body]))
        throw new Error(`${way} returned unexpected data for the ${body} body`);
    }
  }
}

function summarise(body: BodySize, inFlight: number, way: Way, n: number, perRound: Record<Way, RunTime>[]): Row {
  const usPerCall = median(perRound.map((r) => r[way].wallUs));
  return {
    body,
    operation: OPERATIONS[body],
    inFlight,
    way,
    callsPerRound: n,
    callsPerSecond: 1e6 / usPerCall,
    usPerCall,
    cpuUsPerCall: median(perRound.map((r) => r[way].cpuUs)),
    vsFetch: median(perRound.map((r) => r[way].wallUs / r.fetch.wallUs)),
    vsOpenapiFetch: median(perRound.map((r) => r[way].wallUs / r["openapi-fetch"].wallUs)),
    cpuVsFetch: median(perRound.map((r) => r[way].cpuUs / r.fetch.cpuUs)),
    cpuVsOpenapiFetch: median(perRound.map((r) => r[way].cpuUs / r["openapi-fetch"].cpuUs)),
    rounds: perRound.map((r) => ({ usPerCall: r[way].wallUs, cpuUsPerCall: r[way].cpuUs })),
  };
}

function evaluate(rows: Row[], heapBytesPerCall: number, fullHeapRun: boolean): Target[] {
  const targets: Target[] = [];
  for (const row of rows.filter((r) => r.way === "LiveAvatar" && r.body === "small")) {
    const label = `small body, ${row.inFlight === 1 ? "sequential" : `${row.inFlight} in flight`}`;
    targets.push({
      what: `LiveAvatar vs openapi-fetch, ${label}`,
      value: ratio(row.vsOpenapiFetch, 3),
      cpu: ratio(row.cpuVsOpenapiFetch, 3),
      limit: "≤ 1.10x",
      met: row.vsOpenapiFetch <= 1.1,
    });
    targets.push({
      what: `LiveAvatar vs fetch, ${label}`,
      value: ratio(row.vsFetch, 3),
      cpu: ratio(row.cpuVsFetch, 3),
      limit: "≤ 1.30x",
      met: row.vsFetch <= 1.3,
    });
  }
  targets.push({
    what: "heap growth per LiveAvatar call (slope over checkpoints)",
    value: `${heapBytesPerCall.toFixed(2)} B`,
    cpu: "",
    limit: `< ${HEAP_FLAT_BYTES_PER_CALL} B${fullHeapRun ? "" : " (too few calls here to judge)"}`,
    met: fullHeapRun ? heapBytesPerCall < HEAP_FLAT_BYTES_PER_CALL : null,
  });
  return targets;
}

function describeCalls(plan: Plan): string {
  return (["small", "large"] as const)
    .map((b) => `${b} ${plan.calls[b].sequential} sequential / ${plan.calls[b].concurrent} concurrent`)
    .join(", ");
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
