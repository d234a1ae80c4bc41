/** The keys, grouped; shown by `?` in place of the panes, with what the header and the marks mean. */
export const HELP: ReadonlyArray<[string, ReadonlyArray<[string, string]>]> = [
  ['Time', [
    ['l → / h ←', 'next / previous event'],
    ['d / D', 'next / previous delivery'],
    ['f / F', 'next / previous finding'],
    ['e / E', 'next / previous error (uncaught, rejection, 5xx)'],
    ['< / >', 'start / end of the recording'],
  ]],
  ['Panes', [
    ['tab / S-tab, 1 2 3', 'next / previous pane; tree, events, detail'],
    ['j ↓ / k ↑', 'move in the pane (events: step in time)'],
    ['PgDn ^d / PgUp ^u', 'a page down / up'],
    ['g Home / G End', 'top / bottom of the pane'],
    ['enter, space', 'open or close a node or a fold; events: show its task'],
    ['c', 'close every node'],
  ]],
  ['Find', [
    ['/', 'search events: text, #N request, task:N, seq:N'],
    ['n / N', 'next / previous match'],
    ['!', 'only nodes with findings'],
    ['s', 'hide settled tasks'],
  ]],
  ['The header', [
    ['8 findings', 'what `looptape report FILE` finds (orphaned tasks, leaks…); or analysing…'],
    ['(1 kind n/a)', 'kinds of finding this recording cannot show (a lean recording whose task tree replay could not derive…)'],
    ['findings: n/a', 'the analysis failed; the status line says why'],
    ['killed', 'the program was killed before the recording closed: it holds what came'],
    ['event 12 of 5,991', 'the cursor\'s event, counted among all events (seqs can skip numbers)'],
    ['seq 14 · t 3.0ms', 'its place in the recorded order; ms since the recording started'],
  ]],
  ['Marks in the tree', [
    ['!', 'this node has a finding (the detail pane lists it)'],
    ['!2', 'after a closed node or fold: findings inside it'],
    ['▸ / ▾', 'a closed / open node (enter)'],
    ['PROMISE ×23 at …', 'sibling promises (none with a finding) as one row; enter opens it'],
    ['  at app.mjs:14', 'where they were all created (record --stacks); else `under` their parent'],
    ['running, pending', 'in a callback at the cursor / waiting (unresolved, not fired yet)'],
    ['settled, leaked', 'over / still pending after its request ended or at exit'],
    ['open, 200, later', 'a request in progress / answered with this status / not arrived yet'],
  ]],
  ['Marks in the events', [
    ['▶', 'the cursor'],
    ['•', 'a delivery the world handed the program (timer firing, response, request)'],
    ['»', 'a delivery explore moved from its recorded place (a found recording)'],
  ]],
  ['', [['? esc / q ^c', 'close this help / quit'], ['j ↓ / k ↑, space', 'scroll this help']]],
];

/** The help's lines, as the overlay lays them out. */
export function helpLines(): Array<{ key: string; text: string; head?: boolean }> {
  const lines: Array<{ key: string; text: string; head?: boolean }> = [];
  for (const [group, keys] of HELP) {
    if (group) lines.push({ key: group, text: '', head: true });
    for (const [key, text] of keys) lines.push({ key, text });
  }
  return lines;
}
