import type { InspectData } from '../data/inspect-data.js';
import { taskStack } from '../data/sites.js';
import { OUTSIDE, scopeIdOf, taskIdOf, type NodeKey } from '../data/task-index.js';
import { scopeLabel, taskLabel } from './format.js';

export interface Fold {
  members: readonly number[];
  parent: NodeKey;
}

const sites = new WeakMap<InspectData, Map<number, string | null>>();

/**
 * Where the program created a task (`app.mjs:14`, without the column), from the recording's
 * stacks (`record --stacks`); null without them or outside the program. Looked up once per task.
 */
export function creationSite(data: InspectData, id: number): string | null {
  if (!data.meta.stacks) return null;
  let cache = sites.get(data);
  if (!cache) sites.set(data, (cache = new Map()));
  if (cache.has(id)) return cache.get(id)!;
  const task = data.tasks.task(id);
  const site = (task && taskStack(data.pages, task)?.site?.replace(/:(\d+):\d+$/, ':$1')) ?? null;
  cache.set(id, site);
  return site;
}

/**
 * What puts a task in a fold with its neighbours: an anonymous promise, by where it was created
 * when the recording knows (only promises from one site fold together); null for anything else.
 */
export function foldGroup(data: InspectData, id: number): string | null {
  if (data.tasks.task(id)?.type !== 'PROMISE') return null;
  return `PROMISE ${creationSite(data, id) ?? ''}`;
}

/** The site a fold's promises share, or null. */
export function foldSite(data: InspectData, fold: Fold): string | null {
  return creationSite(data, fold.members[0]);
}

/** What a fold's promises are under: their parent node's name. */
export function foldParent(data: InspectData, fold: Fold): string {
  const id = taskIdOf(fold.parent);
  if (id !== null) return taskLabel(data.tasks.task(id)!, data.timers);
  if (fold.parent === OUTSIDE) return 'outside requests';
  const scope = data.tasks.scopeById.get(scopeIdOf(fold.parent)!);
  return scope ? scopeLabel(scope) : fold.parent;
}

/**
 * `PROMISE ×23 at app.mjs:14` (the file's name: a tree row has little room, and the line
 * matters most; the detail pane gives the path), or `PROMISE ×23 under Timeout 12` without stacks.
 */
export function foldLabel(data: InspectData, fold: Fold): string {
  const site = foldSite(data, fold);
  return `PROMISE ×${fold.members.length} ${site ? `at ${site.slice(site.lastIndexOf('/') + 1)}` : `under ${foldParent(data, fold)}`}`;
}
