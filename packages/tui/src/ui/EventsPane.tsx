import { Text } from 'ink';
import { isDelivery, type LoopEvent } from '@looptape/recording';
import type { InspectData } from '../data/inspect-data.js';
import { isError } from '../data/seek.js';
import { clip, eventLine, formatT } from '../model/format.js';
import { layout } from '../model/layout.js';
import { Pane, type ContentProps } from './Pane.js';

/** The timeline around the cursor; `▶` marks the cursor, `•` the deliveries, `»` those explore moved. */
export function EventsPane({ data, state, theme }: ContentProps) {
  const moved = new Set(data.meta.found?.movedSeqs);
  const box = layout(state.width, state.height);
  const events = windowAround(data, state.cursor, box.eventRows);
  const seqWidth = String(data.lastSeq).length;
  const width = box.width - 2;
  return (
    <Pane title="Events" info={`${position(data, state.cursor)} · t ${formatT(data.pages.at(state.cursor)?.t ?? 0)}`} width={box.width} rows={box.eventRows} focused={state.focus === 'events'} theme={theme}>
      {events.length === 0 ? <Text color={theme.muted}>no events</Text> : null}
      {events.map((e) => {
        const here = e.seq === state.cursor;
        const mark = here ? '▶' : moved.has(e.seq) ? '»' : isDelivery(e) ? '•' : ' ';
        const color = isError(e) ? theme.error : moved.has(e.seq) ? theme.accent : e.kind.startsWith('task.') ? theme.muted : undefined;
        return (
          <Text key={e.seq} inverse={here} bold={here} color={here ? undefined : color} wrap="truncate">
            {here ? clip(`${mark}${eventLine(e, seqWidth)}`, width).padEnd(width) : clip(`${mark}${eventLine(e, seqWidth)}`, width)}
          </Text>
        );
      })}
    </Pane>
  );
}

/** `event 12 of 5,991 · seq 14` (seqs have gaps: the count is of events), or the seq alone while counting. */
export function position(data: InspectData, cursor: number): string {
  if (!data.count) return `seq ${cursor} · counting events…`;
  if (data.count.total === 0) return 'no events';
  return `event ${data.count.numberOf(cursor).toLocaleString('en-US')} of ${data.count.total.toLocaleString('en-US')} · seq ${cursor}`;
}

/** `rows` events with the cursor a third of the way down (lower near the end). */
export function windowAround(data: InspectData, cursor: number, rows: number): LoopEvent[] {
  const here = data.pages.at(cursor);
  const after = data.pages.after(cursor, rows);
  const before = data.pages.before(cursor, Math.max(Math.floor(rows / 3), rows - 1 - after.length));
  return [...before, ...(here ? [here] : []), ...after].slice(0, rows);
}
