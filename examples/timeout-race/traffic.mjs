// timeout-race traffic: Ada (answered well before the timeout), then Bob
// (answered well after it). Both statuses are right in either version; the
// buggy app shows its bug on stderr, once per request.
import { appUrl, send } from '../lib/traffic.mjs';

const app = appUrl();
await send(app, 'GET', '/profile?user=ada');
await send(app, 'GET', '/profile?user=bob');
