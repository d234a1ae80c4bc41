// double-book traffic: two people book seat 12A at the same moment, then a third
// tries it once both have been answered (409 in either version: the check works
// when nobody is waiting on the hold).
import { appUrl, send } from '../lib/traffic.mjs';

const app = appUrl();
await Promise.all([send(app, 'POST', '/book', { seat: '12A' }), send(app, 'POST', '/book', { seat: '12A' })]);
await send(app, 'POST', '/book', { seat: '12A' });
