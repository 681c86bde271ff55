// The one way tests build a client: pointed at a server, holding both test credentials,
// logging off; anything else the test says in `options`.
import { LiveAvatar, type ClientOptions } from "../../src/index.ts";
import { API_KEY, SESSION_TOKEN } from "./credentials.ts";

export function clientFor(baseUrl: string, options: ClientOptions = {}): LiveAvatar {
  return new LiveAvatar({ baseUrl, apiKey: API_KEY, sessionToken: SESSION_TOKEN, logLevel: "off", ...options });
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail, and it succeeded");
}
