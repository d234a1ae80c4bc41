// lost-update (fixed): ask for the price first, then load, change and save the session in
// one synchronous step, so no other request can save in between.
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const sessions = new Map();

const server = serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/cart/add') return sendJson(res, 404, { error: 'not found' });
  const { user, item } = await readJson(req);
  const { price } = await (await fetch(`${UPSTREAM}/price?item=${encodeURIComponent(item)}`)).json();
  const session = structuredClone(sessions.get(user) ?? { cart: [] });
  session.cart.push({ item, price });
  sessions.set(user, session);
  sendJson(res, 200, session);
}, { requests: 2 });
server.on('close', () => console.log(`final cart of ada: ${(sessions.get('ada')?.cart ?? []).map((i) => i.item).join(',')}`));
