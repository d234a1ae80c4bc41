import { Box, Text } from 'ink';
import { HELP, helpLines } from '../model/help.js';
import type { Theme } from './theme.js';

export function HelpOverlay({ width, rows, scroll, theme }: { width: number; rows: number; scroll: number; theme: Theme }) {
  const keyWidth = Math.max(...HELP.flatMap(([, keys]) => keys.map(([k]) => k.length))) + 2;
  const lines = helpLines();
  const room = Math.max(1, rows - 3);
  const from = Math.max(0, Math.min(scroll, lines.length - room));
  const more = from + room < lines.length;
  return (
    <Box flexDirection="column" width={width} height={rows} borderStyle="double" borderColor={theme.accent} paddingX={1}>
      <Text bold color={theme.accent}>looptape inspect: keys and marks{from > 0 || more ? `  (${from + 1}–${Math.min(lines.length, from + room)} of ${lines.length}; j/k scroll)` : ''}</Text>
      {lines.slice(from, from + room).map((l, i) =>
        l.head ? <Text key={i} bold>{l.key}</Text> : <Text key={i} wrap="truncate"><Text color={theme.accent}>{`  ${l.key}`.padEnd(keyWidth + 2)}</Text>{l.text}</Text>,
      )}
    </Box>
  );
}
