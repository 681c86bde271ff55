// A Cloudflare Worker: GET /?base=<base URL> answers with the result.
import { call } from "./consumer.mjs";

export default {
  async fetch(request) {
    return Response.json(await call(new URL(request.url).searchParams.get("base")));
  },
};
