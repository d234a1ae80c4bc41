import { RecordingReader } from '../packages/recording/dist/index.js';
import { openInspectData, initialState, update, App, themeFor } from '../packages/tui/dist/index.js';
import { renderToString } from '../packages/tui/node_modules/ink/build/index.js';
import { createElement } from '../packages/tui/node_modules/react/index.js';
const file = process.argv[2];
const reader = RecordingReader.open(file);
const data = openInspectData(reader);
let s = initialState(data, { width: 100, height: 30 });
const theme = themeFor({});
for (let i = 0; i < 10; i++) {
  let t = performance.now();
  s = update(s, { type: 'step', by: 1 }, data);
  const m = performance.now() - t; t = performance.now();
  renderToString(createElement(App, { data, initial: s, theme }), { columns: 100 });
  console.log('update', m.toFixed(1), 'render', (performance.now() - t).toFixed(1));
}
