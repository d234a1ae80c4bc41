import type { Sink } from '../sink.js';
import type { Timeline } from '../timeline.js';
import { CLIENT, LIMITS } from './client.js';
import { laneTasks, viewData } from './data.js';
import { STYLE } from './style.js';

/** JSON inside a <script> element: nothing in it may close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const BODY = `<header><h1 id="title"></h1><div id="summary"></div><div id="explanation" hidden></div><div id="notes"></div></header>
<main>
  <section id="timeline"><h2>Requests · <span id="page"></span></h2><div id="lanes"></div></section>
  <section id="side"><h2>Task tree</h2><div id="tree"></div><h2>Findings</h2><div id="findings"></div></section>
</main>
<div id="tip" hidden></div>
<div id="help" hidden><b>keys</b> (as in looptape inspect): j/k or ↓/↑ move between requests · enter or space open · g/G first/last ·
f/F next/previous finding · d/D next/previous delivery · PageDown/PageUp a page of requests · ? this help · esc close</div>`;

/**
 * Writes the whole page: one HTML file with its data, style and script inline, that opens
 * with no network. The task trees are a separate JSON block, parsed when a request is first
 * opened, so the first screen costs only the lanes.
 */
export async function writeView(timeline: Timeline, file: string, sink: Sink): Promise<void> {
  const data = viewData(timeline, file);
  const title = `looptape · ${file}`;
  await sink.write(`<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n<style>${STYLE}</style></head>\n<body>\n${BODY}\n`);
  await sink.write(`<script type="application/json" id="view-data">${scriptJson(data)}</script>\n<script type="application/json" id="view-tasks">{`);
  let first = true;
  for (const [lane, cols] of Object.entries(laneTasks(timeline))) {
    await sink.write(`${first ? '' : ','}"${lane}":${scriptJson(cols)}`);
    first = false;
  }
  await sink.write('}</script>\n<script>\n');
  await sink.write(`const LIMITS = ${JSON.stringify(LIMITS)};\n${CLIENT.map((f) => f.toString()).join('\n')}\n`);
  await sink.write(`document.getElementById('title').textContent = ${scriptJson(title)};
viewer(JSON.parse(document.getElementById('view-data').textContent), () => JSON.parse(document.getElementById('view-tasks').textContent));
</script>\n</body></html>\n`);
}
