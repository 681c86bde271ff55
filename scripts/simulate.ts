// `npm run simulate`: the seeded fault simulations (test/sim/*.sim.test.ts) outside `npm test`.
//   npm run simulate                       every simulation, the default seed count
//   npm run simulate -- --runs 100000      many seeds (long)
//   npm run simulate -- --only lite        one simulation (rest, lite, session, ...)
//   SEED=4711 npm run simulate -- --only lite   replay one seed exactly, as a failure prints it
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string" },
    from: { type: "string" },
    seed: { type: "string" },
    only: { type: "string" },
  },
});
const env = { ...process.env };
if (values.runs) env.SIM_RUNS = values.runs;
if (values.from) env.SIM_FROM = values.from;
if (values.seed) env.SEED = values.seed;
const files = values.only ? [`test/sim/${values.only}.sim.test.ts`] : ["test/sim/"];
const result = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", "local", ...files], {
  stdio: "inherit",
  env,
});
process.exit(result.status ?? 1);
