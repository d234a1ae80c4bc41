import { Text } from 'ink';
import { isFold, scopeIdOf, taskIdOf } from '../data/task-index.js';
import { detailLines } from '../model/detail.js';
import { clip } from '../model/format.js';
import { layout } from '../model/layout.js';
import type { InspectState } from '../model/state.js';
import { Pane, type ContentProps } from './Pane.js';
import { lineColor } from './theme.js';

/** Everything about the event at the cursor or the selected node; scrolls when focused. */
export function DetailPane({ data, state, theme }: ContentProps) {
  const box = layout(state.width, state.height);
  const width = box.detailWidth - 2;
  const lines = detailLines(data, state, width);
  const shown = lines.slice(state.detailScroll, state.detailScroll + box.mainRows);
  const more = lines.length > box.mainRows ? `${state.detailScroll + 1}-${state.detailScroll + shown.length}/${lines.length}` : '';
  return (
    <Pane title={subjectTitle(state)} info={more} width={box.detailWidth} rows={box.mainRows} focused={state.focus === 'detail'} theme={theme}>
      {shown.map((line, i) => (
        <Text key={i} color={lineColor(theme, line.style)} bold={line.style === 'title'} wrap="truncate">
          {clip(line.text, width) || ' '}
        </Text>
      ))}
    </Pane>
  );
}

function subjectTitle(state: InspectState): string {
  if (state.subject === 'event' || state.selected === null) return 'Event';
  if (taskIdOf(state.selected) !== null) return 'Task';
  if (isFold(state.selected)) return 'Promises';
  return scopeIdOf(state.selected) !== null ? 'Request' : 'Group';
}
