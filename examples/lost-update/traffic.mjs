// lost-update traffic: Ada adds an apple and a pear from two tabs at once (two connections).
// Under EXAMPLE_TIMING=lucky the second tab adds after the first was answered.
import { appUrl, LUCKY, sendAlone } from '../lib/traffic.mjs';

const app = appUrl();
const add = (item) => sendAlone(app, 'POST', '/cart/add', { user: 'ada', item });
if (LUCKY) {
  await add('apple');
  await add('pear');
} else await Promise.all([add('apple'), add('pear')]);
