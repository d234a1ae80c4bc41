import path from 'node:path';
import { Box, Text } from 'ink';
import type { InspectData } from '../data/inspect-data.js';
import { clip, formatMs } from '../model/format.js';
import type { InspectState } from '../model/state.js';
import type { Theme } from './theme.js';

/** One line: the file, what was recorded, and the findings. */
export function Header({ data, state, theme }: { data: InspectData; state: InspectState; theme: Theme }) {
  const { meta } = data;
  const facts = [
    meta.argv?.join(' '),
    meta.durationMs === undefined ? '' : formatMs(meta.durationMs),
    meta.complete ? (meta.exitCode === undefined || meta.exitCode === null ? '' : `exit ${meta.exitCode}`) : 'killed',
    // A lean recording's tree, derived by replaying it (recording/derived.ts).
    meta.tree === 'derived' ? 'tree derived' : '',
  ].filter(Boolean);
  const left = `looptape inspect ${path.basename(data.file)}  ${facts.join(' · ')}`;
  const right = findingsText(state);
  const room = Math.max(0, state.width - right.length - 1);
  return (
    <Box width={state.width}>
      <Text bold wrap="truncate">{clip(left, room).padEnd(room)} </Text>
      <Text color={state.findings.all.length > 0 ? theme.error : theme.muted} bold={state.findings.all.length > 0}>{right}</Text>
    </Box>
  );
}

function findingsText(state: InspectState): string {
  if (state.findingsStatus === 'loading') return 'analysing…';
  if (state.findingsStatus === 'failed') return 'findings: n/a';
  const n = state.findings.all.length;
  // Kinds computed in part still gave their findings: only those not computed at all count.
  const notComputed = state.missing.filter((m) => !m.partial).length;
  const missing = notComputed ? ` (${notComputed} kind${notComputed === 1 ? '' : 's'} n/a)` : '';
  return `${n === 0 ? 'no' : n} finding${n === 1 ? '' : 's'}${missing}`;
}
