// Node and Bun: `<runtime> main-node.mjs <base URL>` prints the result as one JSON line.
import { call } from "./consumer.mjs";

console.log(JSON.stringify(await call(process.argv[2])));
