import type { MissingFinding, Report } from '@looptape/analysis';
import type { FindingIndex } from '../data/findings.js';
import type { NodeKey } from '../data/task-index.js';

export type Pane = 'tree' | 'events' | 'detail';
export const PANES: readonly Pane[] = ['tree', 'events', 'detail'];

/** What the detail pane shows: the event at the cursor, or the node selected in the tree. */
export type Subject = 'event' | 'node';

export interface SearchState {
  /** Typing a query (the status line is the input). */
  editing: boolean;
  draft: string;
  /** The last confirmed query, for n and N. */
  query: string | null;
}

export type FindingsStatus = 'loading' | 'ready' | 'failed';

/** Everything the screen shows follows from this and the recording. */
export interface InspectState {
  /** The seq of the event the cursor is on (0 in an empty recording). */
  cursor: number;
  focus: Pane;
  selected: NodeKey | null;
  /** A node to select as soon as the task tree has loaded (asked for while it was loading). */
  want: NodeKey | null;
  expanded: ReadonlySet<NodeKey>;
  treeScroll: number;
  subject: Subject;
  detailScroll: number;
  findingsOnly: boolean;
  hideSettled: boolean;
  search: SearchState;
  help: boolean;
  /** The first line of the help shown (it scrolls on a small terminal). */
  helpScroll: number;
  /** One line for the status bar: the outcome of the last key (not found, no more findings…). */
  message: string | null;
  /** The analyser's report as it came; `findings` places it in the current task tree. */
  report: Report | null;
  findings: FindingIndex;
  findingsStatus: FindingsStatus;
  missing: readonly MissingFinding[];
  width: number;
  height: number;
  quit: boolean;
}
