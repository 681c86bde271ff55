// The command line of `liveavatar-api`: what was asked for, or what to say and the exit code.
// Every refusal names what was given and ends with the usage.
import { parseArgs } from "node:util";

export const USAGE = `usage: liveavatar-api fake [--port N] [--seed FILE] [--api-key KEY] [--success-code 100|1000] [--lite]
       liveavatar-api --version

Starts a stateful fake of the LiveAvatar API on 127.0.0.1 and prints its URL and the API key it
accepts (\`mock\` is the old name of the command, still accepted).
  --port N              port to listen on (default: a free one)
  --seed FILE           JSON fixtures ({"avatars": [...], "sessions": [...], ...}), optionally
                        with "seed" (a number for the generated data)
  --api-key KEY         the X-API-KEY it accepts (default test-api-key)
  --success-code CODE   the envelope code of a success: 1000 (default, what the vendor's web SDK
                        checks) or 100 (the spec's default); the API sends no other
  --lite                also start the LITE WebSocket fake; started LITE sessions get a ws_url on it
Ctrl-C stops it; so does the end of its stdin when that is a pipe, or the exit of its parent.`;

export interface RunArgs {
  port: number;
  seedFile: string | undefined;
  apiKey: string | undefined;
  successCode: 100 | 1000 | undefined;
  lite: boolean;
}

export type Parsed = { kind: "run"; args: RunArgs } | { kind: "exit"; code: number; stdout?: string; stderr?: string };

const COMMANDS = ["fake", "mock"];
const refuse = (message: string): Parsed => ({ kind: "exit", code: 2, stderr: `${message}\n\n${USAGE}` });

export function parseCommandLine(argv: string[], version: string): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        seed: { type: "string" },
        "api-key": { type: "string" },
        "success-code": { type: "string" },
        lite: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    return refuse(argumentError(error as NodeJS.ErrnoException));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "exit", code: 0, stdout: USAGE };
  if (values.version) return { kind: "exit", code: 0, stdout: version };
  const [command, ...extra] = positionals;
  if (command === undefined) return refuse("missing command: liveavatar-api fake");
  if (!COMMANDS.includes(command)) return refuse(`unknown command ${JSON.stringify(command)} (the command is fake)`);
  if (extra.length > 0) return refuse(`unexpected argument ${JSON.stringify(extra[0])}`);
  const port = values.port ?? "0";
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
    return refuse(`--port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const code = values["success-code"];
  if (code !== undefined && code !== "100" && code !== "1000") {
    return refuse(
      `--success-code must be 1000 or 100, the codes the API sends on success, got ${JSON.stringify(code)}: ` +
        `a client sees any other code in a 2xx as a failure`,
    );
  }
  return {
    kind: "run",
    args: {
      port: Number(port),
      seedFile: values.seed,
      apiKey: values["api-key"],
      successCode: code === undefined ? undefined : code === "100" ? 100 : 1000,
      lite: values.lite === true,
    },
  };
}

/** node:util's parse errors, said plainly ("unknown option --prot"). */
function argumentError(error: NodeJS.ErrnoException): string {
  const name = /'(-[^' ]*)/.exec(error.message)?.[1] ?? "";
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${name}`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/does not take/.test(error.message)) return `${name} takes no value`;
    // `--port -1`: node:util will not take "-1" as the value unless written `--port=-1`.
    return /ambiguous/.test(error.message)
      ? `${name} needs a value (write ${name}=-... for one starting with "-")`
      : `${name} needs a value`;
  }
  return error.message;
}
