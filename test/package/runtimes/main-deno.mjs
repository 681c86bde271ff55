// Deno: `deno run --allow-net=127.0.0.1 main-deno.mjs <base URL>`; the package comes from the
// project's node_modules, as Deno resolves it next to a package.json.
import { call } from "./consumer.mjs";

console.log(JSON.stringify(await call(Deno.args[0])));
