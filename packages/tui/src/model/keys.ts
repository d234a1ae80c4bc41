import type { Pane } from './state.js';

/** The parts of Ink's `Key` the TUI reads (all optional, so tests can say only what matters). */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export type SeekTarget = 'delivery' | 'error' | 'finding' | 'match';

export type Action =
  | { type: 'quit' }
  | { type: 'help' }
  | { type: 'close-help' }
  | { type: 'help-scroll'; by: number }
  | { type: 'focus'; pane: Pane }
  | { type: 'focus-cycle'; by: 1 | -1 }
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'edge'; to: 'top' | 'bottom' }
  | { type: 'step'; by: 1 | -1 }
  | { type: 'jump'; to: 'start' | 'end' }
  | { type: 'seek'; target: SeekTarget; dir: 1 | -1 }
  | { type: 'enter' }
  | { type: 'collapse-all' }
  | { type: 'toggle-findings-only' }
  | { type: 'toggle-hide-settled' }
  | { type: 'search-start' }
  | { type: 'search-type'; text: string }
  | { type: 'search-erase' }
  | { type: 'search-commit' }
  | { type: 'search-cancel' }
  | { type: 'dismiss' };

/** Keys that mean the same thing in every pane. */
const GLOBAL: Record<string, Action> = {
  q: { type: 'quit' },
  '?': { type: 'help' },
  '/': { type: 'search-start' },
  h: { type: 'step', by: -1 },
  l: { type: 'step', by: 1 },
  d: { type: 'seek', target: 'delivery', dir: 1 },
  D: { type: 'seek', target: 'delivery', dir: -1 },
  e: { type: 'seek', target: 'error', dir: 1 },
  E: { type: 'seek', target: 'error', dir: -1 },
  f: { type: 'seek', target: 'finding', dir: 1 },
  F: { type: 'seek', target: 'finding', dir: -1 },
  n: { type: 'seek', target: 'match', dir: 1 },
  N: { type: 'seek', target: 'match', dir: -1 },
  '<': { type: 'jump', to: 'start' },
  '>': { type: 'jump', to: 'end' },
  j: { type: 'move', by: 1 },
  k: { type: 'move', by: -1 },
  g: { type: 'edge', to: 'top' },
  G: { type: 'edge', to: 'bottom' },
  ' ': { type: 'enter' },
  c: { type: 'collapse-all' },
  '!': { type: 'toggle-findings-only' },
  s: { type: 'toggle-hide-settled' },
  '1': { type: 'focus', pane: 'tree' },
  '2': { type: 'focus', pane: 'events' },
  '3': { type: 'focus', pane: 'detail' },
};

/** In the help: close it, or scroll it. */
function helpKey(input: string, key: KeyInfo): Action | null {
  if (key.escape || key.return || input === '?' || input === 'q') return { type: 'close-help' };
  if (key.downArrow || input === 'j') return { type: 'help-scroll', by: 1 };
  if (key.upArrow || input === 'k') return { type: 'help-scroll', by: -1 };
  if (key.pageDown || input === ' ') return { type: 'help-scroll', by: 10 };
  if (key.pageUp) return { type: 'help-scroll', by: -10 };
  return null;
}

/**
 * Turns one key press into an action, or null when the key means nothing here.
 * Pure: the same key in the same mode always gives the same action.
 */
export function keyToAction(input: string, key: KeyInfo, mode: { help: boolean; searching: boolean }): Action | null {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (mode.help) return helpKey(input, key);
  if (mode.searching) return searchKey(input, key);
  if (key.tab) return { type: 'focus-cycle', by: key.shift ? -1 : 1 };
  if (key.upArrow) return { type: 'move', by: -1 };
  if (key.downArrow) return { type: 'move', by: 1 };
  if (key.leftArrow) return { type: 'step', by: -1 };
  if (key.rightArrow) return { type: 'step', by: 1 };
  if (key.pageDown || (key.ctrl && input === 'd')) return { type: 'page', by: 1 };
  if (key.pageUp || (key.ctrl && input === 'u')) return { type: 'page', by: -1 };
  if (key.home) return { type: 'edge', to: 'top' };
  if (key.end) return { type: 'edge', to: 'bottom' };
  if (key.return) return { type: 'enter' };
  if (key.escape) return { type: 'dismiss' };
  if (key.ctrl) return null;
  return GLOBAL[input] ?? null;
}

/**
 * Ink hands several keys that arrive together (typed fast, pasted, sent by tmux) over
 * as one string: split them back into one key each, with tab, enter and backspace
 * recognised, so that "jjj" moves three rows and "/price\r" searches.
 */
export function splitKeys(input: string, key: KeyInfo): Array<[string, KeyInfo]> {
  if (input.length <= 1 || key.ctrl) return [[input, key]];
  return [...input].map((ch): [string, KeyInfo] => {
    if (ch === '\t') return ['', { tab: true }];
    if (ch === '\r' || ch === '\n') return ['', { return: true }];
    if (ch === '\x7f' || ch === '\b') return ['', { backspace: true }];
    return [ch, { shift: ch !== ch.toLowerCase() }];
  });
}

function searchKey(input: string, key: KeyInfo): Action | null {
  if (key.return) return { type: 'search-commit' };
  if (key.escape) return { type: 'search-cancel' };
  if (key.backspace || key.delete) return { type: 'search-erase' };
  if (key.ctrl || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return null;
  return input ? { type: 'search-type', text: input } : null;
}
