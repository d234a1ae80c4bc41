// double-charge traffic: a client pays order o1, times out on its side after 20 ms and sends
// the same payment again on a new connection. Under EXAMPLE_TIMING=lucky it pays once.
import { appUrl, LUCKY, sendAlone } from '../lib/traffic.mjs';

const app = appUrl();
const pay = () => sendAlone(app, 'POST', '/pay', { order: 'o1', amount: 42 });
if (LUCKY) await pay();
else await Promise.all([pay(), new Promise((resolve) => setTimeout(resolve, 20)).then(pay)]);
