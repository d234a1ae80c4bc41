// lost-update (buggy): POST /cart/add {user, item} loads the user's session from the
// in-process store, asks the catalog for the item's price (fetch), then saves the whole
// session back. Two adds for one user that overlap both load the same session, and the one
// that saves last drops the other's item. Prints the final cart when it closes.
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const sessions = new Map();

const server = serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/cart/add') return sendJson(res, 404, { error: 'not found' });
  const { user, item } = await readJson(req);
  const session = structuredClone(sessions.get(user) ?? { cart: [] }); // load
  const { price } = await (await fetch(`${UPSTREAM}/price?item=${encodeURIComponent(item)}`)).json();
  session.cart.push({ item, price });
  sessions.set(user, session); // BUG: saves the copy loaded before the await, over what others saved meanwhile
  sendJson(res, 200, session);
}, { requests: 2 });
server.on('close', () => console.log(`final cart of ada: ${(sessions.get('ada')?.cart ?? []).map((i) => i.item).join(',')}`));
