import { createElement } from 'react';
import { render } from 'ink';
import type { Report } from '@looptape/analysis';
import type { RecordingReader } from '@looptape/recording';
import { openInspectData } from './data/inspect-data.js';
import { loadFindings } from './data/load-findings.js';
import { initialState } from './model/update.js';
import { App } from './ui/App.js';
import { themeFor } from './ui/theme.js';

export interface InspectOptions {
  reader: RecordingReader;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** The analyser's report; by default computed in a worker while the UI runs. */
  report?: Promise<Report>;
}

const ALT_SCREEN_ON = '\u001B[?1049h';
const ALT_SCREEN_OFF = '\u001B[?1049l';

/**
 * Runs the inspector on a terminal until the user quits. Uses the alternate screen,
 * like less and lazygit, so the shell comes back as it was. Resolves to the exit code.
 */
export async function runInspect(options: InspectOptions): Promise<number> {
  const { reader, stdout, stdin, stderr, env } = options;
  const data = openInspectData(reader);
  const job = options.report ? undefined : loadFindings(reader);
  const initial = initialState(data, { width: stdout.columns || 80, height: stdout.rows || 24 });
  stdout.write(ALT_SCREEN_ON);
  const app = render(createElement(App, { data, initial, theme: themeFor(env), report: options.report ?? job!.report, followResize: true }), {
    stdout, stdin, stderr, exitOnCtrlC: false, patchConsole: false,
  });
  try {
    await app.waitUntilExit();
  } finally {
    job?.cancel();
    app.cleanup();
    stdout.write(ALT_SCREEN_OFF);
  }
  return 0;
}
