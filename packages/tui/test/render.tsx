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
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  /** Waits for the next frame (a key that changes nothing draws none: then gives up after 300 ms). */
  const settle = async (before: number) => {
    for (let waited = 0; app.frames.length === before && waited < 300; waited += 5) await tick();
    await tick();
  };
  /** Sends keys one at a time, each after the frame of the one before; resolves the last frame. */
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      const before = app.frames.length;
      app.stdin.write(key);
      await settle(before);
    }
    if (keys.length === 0) await settle(app.frames.length);
    return app.lastFrame() ?? '';
  };
  return { ...app, data, press, frame: () => app.lastFrame() ?? '' };
}

/** The row of a frame that contains the text. */
export function lineWith(frame: string, text: string): string {
  return frame.split('\n').find((l) => l.includes(text)) ?? '';
}
