// double-book traffic: two people book seat 12A at the same moment, then a third
// tries it once both have been answered (409 in either version: the check works
// when nobody is waiting on the hold).
// Under EXAMPLE_TIMING=lucky the two people are a moment apart: the second books
// after the first was answered (409), each on a connection of its own.
import { appUrl, LUCKY, send, sendAlone } from '../lib/traffic.mjs';

const app = appUrl();
if (LUCKY) {
  await sendAlone(app, 'POST', '/book', { seat: '12A' });
  await sendAlone(app, 'POST', '/book', { seat: '12A' });
} else await Promise.all([send(app, 'POST', '/book', { seat: '12A' }), send(app, 'POST', '/book', { seat: '12A' })]);
await send(app, 'POST', '/book', { seat: '12A' });
