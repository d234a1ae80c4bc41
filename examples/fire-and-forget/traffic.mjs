// fire-and-forget traffic: four orders, one after the other; the last is too
// large for the audit service. Every order gets 202 in either version; the buggy
// app then crashes (exit code 1) on the refused audit, after the last response.
import { appUrl, send } from '../lib/traffic.mjs';

const app = appUrl();
await send(app, 'POST', '/order', { id: 'o1', amount: 20 });
await send(app, 'POST', '/order', { id: 'o2', amount: 35 });
await send(app, 'POST', '/order', { id: 'o3', amount: 12 });
await send(app, 'POST', '/order', { id: 'o4', amount: 5000 });
