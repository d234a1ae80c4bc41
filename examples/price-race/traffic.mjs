// price-race traffic: three quotes, one after the other. Only the first asks for
// more than is in stock, so only its total depends on the order of the answers.
import { appUrl, send } from '../lib/traffic.mjs';

const app = appUrl();
await send(app, 'GET', '/quote?item=widget&qty=5'); // 3 in stock at 12: 36
await send(app, 'GET', '/quote?item=gadget&qty=2'); // 10 in stock at 30: 60
await send(app, 'GET', '/quote?item=gizmo&qty=4'); // 4 in stock at 7: 28
