import type { RecordingReader } from '@looptape/recording';
import { EventPages } from './event-pages.js';
import { ExchangeFinder } from './exchange.js';
import { TaskIndex } from './task-index.js';
import { TimerIndex } from './timers.js';

/** What the TUI needs of a reader (a RecordingReader, or a stand-in in tests). */
export type InspectReader = Pick<RecordingReader, 'path' | 'meta' | 'events' | 'lastSeq' | 'tasks' | 'scopes'>;

/** A read-only, lazily paged view of one recording: everything the model reads. */
export interface InspectData {
  file: string;
  reader: InspectReader;
  meta: RecordingReader['meta'];
  /** Seq of the first and last events (0 and 0 when the recording is empty). */
  firstSeq: number;
  lastSeq: number;
  pages: EventPages;
  tasks: TaskIndex;
  timers: TimerIndex;
  exchanges: ExchangeFinder;
}

/** Reads the summaries (tasks, scopes, timers) and sets up paging; reads no other events. */
export function openInspectData(reader: InspectReader): InspectData {
  const lastSeq = reader.lastSeq();
  const pages = new EventPages(reader, lastSeq);
  const tasks = new TaskIndex(reader.tasks(), reader.scopes());
  const first = pages.next(-1);
  return {
    file: reader.path,
    reader,
    meta: reader.meta,
    firstSeq: first?.seq ?? 0,
    lastSeq: first ? lastSeq : 0,
    pages,
    tasks,
    timers: TimerIndex.load(reader),
    exchanges: new ExchangeFinder(reader, pages, tasks),
  };
}
