// Lists avatars: one page with its envelope, then item by item across pages.
//
//   npm run example -- list-avatars
import { LiveAvatar } from "liveavatar-api";

const client = new LiveAvatar();

// One page. `withResponse()` also gives the envelope's code and the HTTP response.
const {
  data: page,
  code,
  response,
} = await client.GET("/v1/avatars", { params: { query: { page: 1, page_size: 5 } } }).withResponse();
console.log(
  `page 1: ${page.results?.length ?? 0} of ${page.count ?? "?"} avatars (HTTP ${response.status}, code ${code})`,
);

// Every avatar, fetching further pages only as the loop asks for them. Stop when you have enough:
// the loop can break at any time.
let shown = 0;
for await (const avatar of client.paginate("/v1/avatars", { params: { query: { page_size: 20 } } })) {
  console.log(`avatar ${avatar.id}  ${avatar.name}  ${avatar.status ?? ""}`);
  if (++shown === 5) break;
}
console.log(`listed ${shown} avatars`);
