import type { RowState } from '../model/tree-text.js';
import type { Line } from '../model/lines.js';

/** Colours by role; every one undefined when colour is off (NO_COLOR). */
export interface Theme {
  color: boolean;
  accent?: string;
  error?: string;
  warning?: string;
  good?: string;
  muted?: string;
}

/** NO_COLOR (https://no-color.org): set and not empty turns colour off; bold and inverse stay. */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { color: false };
  return { color: true, accent: 'cyan', error: 'red', warning: 'yellow', good: 'green', muted: 'gray' };
}

export function stateColor(theme: Theme, state: RowState): string | undefined {
  switch (state) {
    case 'running': return theme.good;
    case 'leaked': case 'failed': return theme.error;
    case 'pending': case 'open': return theme.warning;
    case 'settled': case 'done': case 'later': return theme.muted;
    default: return undefined;
  }
}

export function lineColor(theme: Theme, style: Line['style']): string | undefined {
  switch (style) {
    case 'title': case 'label': return theme.accent;
    case 'error': return theme.error;
    case 'warning': return theme.warning;
    case 'good': return theme.good;
    case 'dim': return theme.muted;
    default: return undefined;
  }
}
