import { render } from 'ink-testing-library';
import type { Report } from '@looptape/analysis';
import { App } from '../src/ui/App.js';
import { themeFor } from '../src/ui/theme.js';
import { checkout } from './setup.js';

export const ESC = '\u001B';
export const ENTER = '\r';
export const TAB = '\t';

/** The checkout recording in the app, at a fixed size, keys sent one by one. */
export function renderCheckout(options: { width?: number; height?: number; report?: Report | null; env?: NodeJS.ProcessEnv; pending?: Promise<Report> } = {}) {
  const { data, state } = checkout({ width: options.width ?? 80, height: options.height ?? 24, report: options.pending ? null : options.report });
  const app = render(<App data={data} initial={state} theme={themeFor(options.env ?? { NO_COLOR: '1' })} report={options.pending} />);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  /** Sends keys one at a time and resolves the frame after the last (after a tick with none). */
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await settle();
    }
    if (keys.length === 0) await settle();
    return app.lastFrame() ?? '';
  };
  return { ...app, data, press, frame: () => app.lastFrame() ?? '' };
}

/** The row of a frame that contains the text. */
export function lineWith(frame: string, text: string): string {
  return frame.split('\n').find((l) => l.includes(text)) ?? '';
}
