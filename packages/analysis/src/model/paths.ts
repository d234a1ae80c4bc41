import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ancestry, taskName } from '@looptape/recording';
import type { AnalysisTasks } from './tasks.js';
import type { Exchange, TimerInfo, World } from './world.js';

const MAX_HOPS = 256;
const KEEP_HEAD = 2;
const KEEP_TAIL = 4;

/** Names tasks for people: labels, paths from the request (or the program) down, source locations. */
export class Namer {
  constructor(private readonly world: World, private readonly tasks: AnalysisTasks | null) {}

  /** `#3 POST /checkout`. */
  requestLabel(exchange: number | null): string | null {
    const x = exchange === null ? undefined : this.world.exchanges.get(exchange);
    return x ? `#${x.id} ${x.method} ${pathOf(x.url)}` : exchange === null ? null : `#${exchange}`;
  }

  /** `setTimeout 200ms`, `setInterval 50ms`, `setImmediate`, or the async resource type. */
  taskLabel(task: number): string {
    const timer = this.world.timerByResource.get(task);
    const row = this.tasks?.row(task) ?? -1;
    if (timer || row >= 0) return taskName(row >= 0 ? this.tasks!.type(row) : 'Timeout', timer);
    return `task ${task}`;
  }

  /**
   * From the request (or `main` outside any request) down the chain of creators to `task`:
   * `#3 POST /checkout → PROMISE ×2 → setTimeout 200ms`. Runs of promises are folded, long
   * paths keep their ends.
   */
  taskPath(task: number | null, scope: number | null, leaf?: string): string {
    const root = scope === null ? 'main' : this.requestLabel(scope)!;
    const labels = task === null ? [] : this.chain(task, scope).map((id) => this.taskLabel(id));
    if (leaf) labels.push(leaf);
    return [root, ...shorten(fold(labels))].join(' → ');
  }

  /** Where the program created the task: its recorded stack, or the site of the timer it is. */
  location(task: number | null): string | null {
    if (task === null) return null;
    return this.world.stacks.get(task) ?? this.world.timerByResource.get(task)?.site ?? null;
  }

  /**
   * Where an async function whose promise this is was called (the line missing an `await`):
   * the frame below the function's own, with `record --stacks`.
   */
  callSite(task: number | null): string | null {
    return task === null ? null : this.world.callers.get(task) ?? null;
  }

  /** Task ids from the outermost ancestor inside the scope down to `task` (the recording's parent rule). */
  private chain(task: number, scope: number | null): number[] {
    const tasks = this.tasks;
    const row = tasks?.row(task) ?? -1;
    if (row < 0 || (tasks!.scope.get(row) || null) !== scope) return [task];
    return ancestry(tasks!, row, MAX_HOPS).map((r) => tasks!.ids.get(r));
  }
}

export function timerLabel(timer: TimerInfo): string {
  return taskName('Timeout', timer);
}

export function exchangeLabel(x: Exchange): string {
  return `${x.method} ${x.direction === 'in' ? pathOf(x.url) : x.url}`;
}

function pathOf(url: string): string {
  return url.startsWith('/') ? url : url.replace(/^[a-z]+:\/\/[^/]+/i, '') || '/';
}

function fold(labels: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; ) {
    let j = i;
    while (j < labels.length && labels[j] === labels[i]) j++;
    out.push(j - i > 1 ? `${labels[i]} ×${j - i}` : labels[i]);
    i = j;
  }
  return out;
}

function shorten(labels: string[]): string[] {
  if (labels.length <= KEEP_HEAD + KEEP_TAIL + 1) return labels;
  return [...labels.slice(0, KEEP_HEAD), '…', ...labels.slice(-KEEP_TAIL)];
}

/** looptape's own packages: a stack taken in replay (a derived tree) passes through the replayer's frames. */
const PACKAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ownCode = (file: string) => file.startsWith(PACKAGES) && /^[/\\][^/\\]+[/\\](dist|src)[/\\]/.test(file.slice(PACKAGES.length));

/** The first frame of a stack in the program's own code (not node:, not node_modules, not looptape's), as file:line:col. */
export function userFrame(stack: string): string | null {
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].replace(/^file:\/\//, '');
    if (file.startsWith('node:') || file.includes('/node_modules/') || !file.includes('/') || ownCode(file)) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return null;
}
