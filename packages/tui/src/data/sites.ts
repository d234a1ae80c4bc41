import type { TaskStack } from '@looptape/recording';
import type { EventPages } from './event-pages.js';

/**
 * Where the program created a task, from the `task.stack` event that `record --stacks`
 * writes right after its init (a few events at most: other inits may come between).
 */
export function taskStack(pages: EventPages, task: { id: number; initSeq: number }): TaskStack | undefined {
  for (const e of pages.after(task.initSeq, 16)) if (e.kind === 'task.stack' && e.task === task.id) return e;
  return undefined;
}
