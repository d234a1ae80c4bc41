import { Text } from 'ink';
import { clip } from '../model/format.js';
import type { InspectState } from '../model/state.js';
import type { Theme } from './theme.js';

const HINTS = ['h/l step', 'd/D delivery', 'f/F finding', 'e/E error', '/ search', 'tab pane', 'enter open', 'j/k move'];
const ALWAYS = '? help  q quit';

/** The search input while typing, else the last message, else key hints that fit. */
export function StatusLine({ state, theme }: { state: InspectState; theme: Theme }) {
  const width = state.width;
  if (state.search.editing) return <Text wrap="truncate">{clip(`/${state.search.draft}▏  (enter search, esc cancel; #N request, task:N, seq:N)`, width)}</Text>;
  if (state.message) return <Text color={theme.warning} wrap="truncate">{clip(state.message, width)}</Text>;
  return <Text color={theme.muted} wrap="truncate">{fitHints(width)}</Text>;
}

/** As many hints as fit, always ending with help and quit. */
export function fitHints(width: number): string {
  let out = '';
  for (const hint of HINTS) {
    const next = out ? `${out}  ${hint}` : hint;
    if (next.length + 2 + ALWAYS.length > width) break;
    out = next;
  }
  return out ? `${out}  ${ALWAYS}` : ALWAYS;
}
