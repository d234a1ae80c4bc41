import type { Report } from '@looptape/analysis';
import { RecordingError, type RecordingReader } from '@looptape/recording';
import { inBackground, startLater } from './data/background.js';
import { openInspectData } from './data/inspect-data.js';
import { initialState } from './model/update.js';
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
 * The first frame shows the requests and the first events; the task tree and the
 * findings are read in worker threads and appear when ready.
 */
export async function runInspect(options: InspectOptions): Promise<number> {
  const { reader, stdout, stdin, stderr, env } = options;
  // React's development build is several times slower per frame; nothing here needs it.
  process.env.NODE_ENV ??= 'production';
  const [{ createElement }, { render }, { App }] = await withoutCi(() => Promise.all([import('react'), import('ink'), import('./ui/App.js')]));
  const data = openInspectData(reader, { tasks: 'later' });
  const tasks = startLater(() => inBackground(reader, 'tasks'));
  const count = startLater(() => inBackground(reader, 'count'));
  const findings = options.report ? undefined : startLater(() => inBackground(reader, 'findings'));
  const initial = initialState(data, { width: stdout.columns || 80, height: stdout.rows || 24 });
  stdout.write(ALT_SCREEN_ON);
  const app = render(createElement(App, { data, initial, theme: themeFor(env), report: options.report ?? findings!.result, tasks: tasks.result, count: count.result, followResize: true }), {
    stdout, stdin, stderr, exitOnCtrlC: false, patchConsole: false,
  });
  tasks.start();
  count.start();
  findings?.start();
  // A background read that finds the recording damaged ends the inspector: it must not go on
  // showing a damaged recording as a good one. The command then says what is damaged (exit 2).
  const damaged = new Promise<never>((_, reject) => {
    for (const job of [tasks.result, count.result, findings?.result]) job?.catch((error: unknown) => isDamage(error) && reject(error));
  });
  try {
    await Promise.race([app.waitUntilExit(), damaged]);
  } finally {
    tasks.cancel();
    count.cancel();
    findings?.cancel();
    app.unmount(); // nothing to do after a quit; after damage, stops drawing
    app.cleanup();
    stdout.write(ALT_SCREEN_OFF);
  }
  return 0;
}

function isDamage(error: unknown): boolean {
  return error instanceof RecordingError && error.code === 'DAMAGED';
}

/**
 * Ink decides when it loads whether it runs in CI (is-in-ci: CI or CONTINUOUS_INTEGRATION
 * set), and then draws nothing until it exits. inspect runs only on a terminal, where such
 * a variable is a left-over of the shell: hide it while Ink loads.
 */
async function withoutCi<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
  }
}
