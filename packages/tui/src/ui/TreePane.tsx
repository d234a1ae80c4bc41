import { Text } from 'ink';
import type { InspectData } from '../data/inspect-data.js';
import { clip } from '../model/format.js';
import { layout } from '../model/layout.js';
import type { InspectState } from '../model/state.js';
import { rowText } from '../model/tree-text.js';
import { rowIndex, treeRows, type TreeRow } from '../model/tree.js';
import { Pane, type ContentProps } from './Pane.js';
import { stateColor, type Theme } from './theme.js';

/** Request scopes and their tasks at the cursor; findings marked `!`. */
export function TreePane({ data, state, theme }: ContentProps) {
  const box = layout(state.width, state.height);
  const rows = treeRows(data, state);
  const selected = rowIndex(rows, state.selected, data);
  const shown = rows.slice(state.treeScroll, state.treeScroll + box.mainRows);
  const filters = [data.tasks.loaded ? '' : 'loading…', state.findingsOnly ? 'findings only' : '', state.hideSettled ? 'settled hidden' : ''].filter(Boolean).join(', ');
  return (
    <Pane title={filters ? `Tasks (${filters})` : 'Tasks'} info={rows.length ? `${selected + 1}/${rows.length}` : ''} width={box.treeWidth} rows={box.mainRows} focused={state.focus === 'tree'} theme={theme}>
      {shown.length === 0 ? <Text color={theme.muted}>{emptyText(state)}</Text> : null}
      {shown.map((row, i) => (
        <Row key={row.key} row={row} data={data} state={state} theme={theme} width={box.treeWidth - 2} selected={state.treeScroll + i === selected} />
      ))}
    </Pane>
  );
}

function Row({ row, data, state, theme, width, selected }: { row: TreeRow; data: InspectData; state: InspectState; theme: Theme; width: number; selected: boolean }) {
  const t = rowText(row, data, state);
  const right = ` ${t.stateText}${t.duration ? ` ${t.duration}` : ''}${t.hidden ? ` ${t.hidden}` : ''}`;
  const room = Math.max(4, width - 1 - t.prefix.length - right.length);
  const label = clip(t.label, room);
  const pad = ' '.repeat(Math.max(0, width - 1 - t.prefix.length - label.length - right.length));
  return (
    <Text inverse={selected} wrap="truncate">
      <Text color={theme.error} bold>{t.mark}</Text>
      {t.prefix}
      <Text bold={t.state === 'running'}>{label}</Text>
      {pad}
      <Text color={stateColor(theme, t.state)} bold={t.state === 'running' || t.state === 'leaked'}>{right}</Text>
    </Text>
  );
}

function emptyText(state: InspectState): string {
  if (state.findingsOnly) return state.findingsStatus === 'loading' ? 'findings are still being analysed' : 'no findings';
  return 'no tasks at the cursor';
}
