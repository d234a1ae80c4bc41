import type { RecordingReader } from '@looptape/recording';
import { EventCount } from './event-count.js';
import { EventPages } from './event-pages.js';
import { ExchangeFinder } from './exchange.js';
import type { TaskTree } from './task-tree.js';
import { TaskIndex } from './task-index.js';
import { TimerIndex } from './timers.js';

/** What the TUI needs of a reader (a RecordingReader, or a stand-in in tests). */
export type InspectReader = Pick<RecordingReader, 'path' | 'meta' | 'events' | 'hookChunks' | 'lastSeq' | 'tasks' | 'scopes'>;

/** A read-only, lazily paged view of one recording: everything the model reads. */
export interface InspectData {
  file: string;
  reader: InspectReader;
  meta: RecordingReader['meta'];
  /** Seq of the first and last events (0 and 0 when the recording is empty). */
  firstSeq: number;
  lastSeq: number;
  pages: EventPages;
  /** Which event a seq is (seqs have gaps); null while it is being counted. */
  count: EventCount | null;
  tasks: TaskIndex;
  timers: TimerIndex;
  exchanges: ExchangeFinder;
}

export interface OpenOptions {
  /** `later`: start with the request scopes only, and no event count; add them with `withTasks`, `withCount`. */
  tasks?: 'now' | 'later';
}

/** Reads the summaries it needs and sets up paging; reads no events beyond the first page. */
export function openInspectData(reader: InspectReader, options: OpenOptions = {}): InspectData {
  const lastSeq = reader.lastSeq();
  const pages = new EventPages(reader, lastSeq);
  const scopes = reader.scopes();
  const tasks = options.tasks === 'later' ? new TaskIndex(null, scopes) : TaskIndex.fromSummaries(reader.tasks(), scopes);
  const first = pages.next(-1);
  return {
    file: reader.path,
    reader,
    meta: reader.meta,
    firstSeq: first?.seq ?? 0,
    lastSeq: first ? lastSeq : 0,
    pages,
    count: options.tasks === 'later' ? null : EventCount.of(reader),
    tasks,
    timers: TimerIndex.load(reader),
    exchanges: new ExchangeFinder(reader, pages, tasks.scopeById),
  };
}

/** The same view with its task tree, once the tasks have been read. */
export function withTasks(data: InspectData, tree: TaskTree): InspectData {
  return { ...data, tasks: new TaskIndex(tree, data.tasks.scopes) };
}

/** The same view with its events counted. */
export function withCount(data: InspectData, count: EventCount): InspectData {
  return { ...data, count };
}
