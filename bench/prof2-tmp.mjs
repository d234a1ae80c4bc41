import { RecordingReader } from '../packages/recording/dist/index.js';
import { openInspectData, initialState, update, App, themeFor } from '../packages/tui/dist/index.js';
import { renderToString } from '../packages/tui/node_modules/ink/build/index.js';
import { createElement } from '../packages/tui/node_modules/react/index.js';
const reader = RecordingReader.open(process.argv[2]);
const data = openInspectData(reader);
let s = initialState(data, { width: 100, height: 30 });
const theme = themeFor({});
const t0 = performance.now();
for (let i = 0; i < 100; i++) {
  s = update(s, { type: 'step', by: 1 }, data);
  renderToString(createElement(App, { data, initial: s, theme }), { columns: 100 });
}
console.log('per step', ((performance.now() - t0) / 100).toFixed(1));
