import { useEffect, useState } from 'react';
import { Box, useApp, useInput, useStdout } from 'ink';
import type { Report } from '@looptape/analysis';
import type { EventCount } from '../data/event-count.js';
import { withCount, withTasks, type InspectData } from '../data/inspect-data.js';
import type { TaskTree } from '../data/task-tree.js';
import { keyToAction, splitKeys } from '../model/keys.js';
import { layout } from '../model/layout.js';
import type { InspectState } from '../model/state.js';
import { resize, update, withFailedReport, withReport, withTasksLoaded } from '../model/update.js';
import { DetailPane } from './DetailPane.js';
import { EventsPane } from './EventsPane.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { StatusLine } from './StatusLine.js';
import type { Theme } from './theme.js';
import { TreePane } from './TreePane.js';

export interface AppProps {
  data: InspectData;
  initial: InspectState;
  theme: Theme;
  /** The analyser's report, when it is still being computed. */
  report?: Promise<Report>;
  /** The task tree, when `data` was opened without it (tasks: 'later'). */
  tasks?: Promise<TaskTree>;
  /** The event count, when `data` was opened without it. */
  count?: Promise<EventCount>;
  /** Follow the terminal's size (off in tests, which fix it in `initial`). */
  followResize?: boolean;
}

interface Screen {
  data: InspectData;
  state: InspectState;
}

/** The whole screen. Keys go through the model (keyToAction, update); this only draws. */
export function App({ data: initialData, initial, theme, report, tasks, count, followResize = false }: AppProps) {
  // The data and the state change together (the task tree arrives later), so they are one state.
  const [{ data, state }, setScreen] = useState<Screen>({ data: initialData, state: initial });
  const { exit } = useApp();
  const { stdout } = useStdout();

  useInput((input, key) => {
    // Decide in the updater, on the latest state: keys that arrive together (a paste,
    // tmux send-keys) must each see the mode the previous one left.
    setScreen((screen) => {
      let next = screen.state;
      for (const [ch, k] of splitKeys(input, key)) {
        const action = keyToAction(ch, k, { help: next.help, searching: next.search.editing });
        if (action) next = update(next, action, screen.data);
      }
      return next === screen.state ? screen : { ...screen, state: next };
    });
  });

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  useEffect(() => {
    let live = true;
    tasks?.then(
      (columns) => live && setScreen((s) => {
        const loaded = withTasks(s.data, columns);
        return { data: loaded, state: withTasksLoaded(s.state, loaded) };
      }),
      (error: Error) => live && setScreen((s) => ({ ...s, state: { ...s.state, message: `the task tree could not be read: ${error.message}` } })),
    );
    // Counting only changes what the events pane's title says; a failure leaves it on seqs.
    count?.then((c) => live && setScreen((s) => ({ ...s, data: withCount(s.data, c) })), () => undefined);
    report?.then(
      (r) => live && setScreen((s) => ({ ...s, state: withReport(s.state, s.data, r) })),
      (error: Error) => live && setScreen((s) => ({ ...s, state: withFailedReport(s.state, error.message) })),
    );
    return () => {
      live = false;
    };
  }, [report, tasks, count]);

  useEffect(() => {
    if (!followResize) return;
    const onResize = () => setScreen((s) => ({ ...s, state: resize(s.state, s.data, stdout.columns, stdout.rows) }));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [followResize, stdout]);

  const box = layout(state.width, state.height);
  return (
    <Box flexDirection="column" width={box.width} height={box.height}>
      <Header data={data} state={state} theme={theme} />
      {state.help ? (
        <HelpOverlay width={box.width} rows={box.height - 2} scroll={state.helpScroll} theme={theme} />
      ) : (
        <>
          <Box>
            <TreePane data={data} state={state} theme={theme} />
            <DetailPane data={data} state={state} theme={theme} />
          </Box>
          <EventsPane data={data} state={state} theme={theme} />
        </>
      )}
      <StatusLine state={state} theme={theme} />
    </Box>
  );
}
