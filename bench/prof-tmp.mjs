import { RecordingReader } from '../packages/recording/dist/index.js';
import { openInspectData, initialState, update } from '../packages/tui/dist/index.js';
const file = '/tmp/looptape-bench-tui-1000000.tape';
let t = performance.now();
const lap = (what) => { const n = performance.now(); console.log(what.padEnd(20), (n - t).toFixed(1)); t = n; };
const reader = RecordingReader.open(file); lap('open');
reader.lastSeq(); lap('lastSeq');
const tasks = reader.tasks(); lap('tasks()');
reader.scopes(); lap('scopes()');
[...reader.events({ kinds: ['timer.set', 'timer.clear'] })]; lap('timer events');
t = performance.now();
const data = openInspectData(reader); lap('openInspectData');
let s = initialState(data, { width: 100, height: 30 }); lap('initialState');
for (const key of ['l','l','l','l','l']) { s = update(s, { type: 'step', by: 1 }, data); lap('step'); }
for (let i = 0; i < 5; i++) { s = update(s, { type: 'seek', target: 'delivery', dir: 1 }, data); lap('delivery'); }
for (let i = 0; i < 5; i++) { s = update(s, { type: 'seek', target: 'error', dir: 1 }, data); lap('error'); }
