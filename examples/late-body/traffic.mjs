// late-body traffic: one export.
import { appUrl, send } from '../lib/traffic.mjs';

await send(appUrl(), 'GET', '/export?id=7');
