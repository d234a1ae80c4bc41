import { Box, Text } from 'ink';
import type { Theme } from './theme.js';

/** The keys, grouped; shown by `?` in place of the panes. */
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
    ['enter, space', 'open or close a node; events: show its task'],
    ['c', 'close every node'],
  ]],
  ['Find', [
    ['/', 'search events: text, #N request, task:N, seq:N'],
    ['n / N', 'next / previous match'],
    ['!', 'only nodes with findings'],
    ['s', 'hide settled tasks'],
  ]],
  ['', [['? esc / q ^c', 'close this help / quit']]],
];

export function HelpOverlay({ width, rows, theme }: { width: number; rows: number; theme: Theme }) {
  const keyWidth = Math.max(...HELP.flatMap(([, keys]) => keys.map(([k]) => k.length))) + 2;
  const lines: Array<{ key: string; text: string; head?: boolean }> = [];
  for (const [group, keys] of HELP) {
    if (group) lines.push({ key: group, text: '', head: true });
    for (const [key, text] of keys) lines.push({ key, text });
  }
  return (
    <Box flexDirection="column" width={width} height={rows} borderStyle="double" borderColor={theme.accent} paddingX={1}>
      <Text bold color={theme.accent}>looptape inspect: keys</Text>
      {lines.slice(0, Math.max(0, rows - 3)).map((l, i) =>
        l.head ? <Text key={i} bold>{l.key}</Text> : <Text key={i} wrap="truncate"><Text color={theme.accent}>{`  ${l.key}`.padEnd(keyWidth + 2)}</Text>{l.text}</Text>,
      )}
    </Box>
  );
}
