import { useEffect, useState } from 'react';
import { Box, useApp, useInput, useStdout } from 'ink';
import type { Report } from '@looptape/analysis';
import type { InspectData } from '../data/inspect-data.js';
import { keyToAction, splitKeys } from '../model/keys.js';
import { layout } from '../model/layout.js';
import type { InspectState } from '../model/state.js';
import { resize, update, withFailedReport, withReport } from '../model/update.js';
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
  /** Follow the terminal's size (off in tests, which fix it in `initial`). */
  followResize?: boolean;
}

/** The whole screen. Keys go through the model (keyToAction, update); this only draws. */
export function App({ data, initial, theme, report, followResize = false }: AppProps) {
  const [state, setState] = useState(initial);
  const { exit } = useApp();
  const { stdout } = useStdout();

  useInput((input, key) => {
    // Decide in the updater, on the latest state: keys that arrive together (a paste,
    // tmux send-keys) must each see the mode the previous one left.
    setState((s) => {
      let next = s;
      for (const [ch, k] of splitKeys(input, key)) {
        const action = keyToAction(ch, k, { help: next.help, searching: next.search.editing });
        if (action) next = update(next, action, data);
      }
      return next;
    });
  });

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  useEffect(() => {
    let live = true;
    report?.then(
      (r) => live && setState((s) => withReport(s, data, r)),
      (error: Error) => live && setState((s) => withFailedReport(s, error.message)),
    );
    return () => {
      live = false;
    };
  }, [report, data]);

  useEffect(() => {
    if (!followResize) return;
    const onResize = () => setState((s) => resize(s, data, stdout.columns, stdout.rows));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [followResize, stdout, data]);

  const box = layout(state.width, state.height);
  return (
    <Box flexDirection="column" width={box.width} height={box.height}>
      <Header data={data} state={state} theme={theme} />
      {state.help ? (
        <HelpOverlay width={box.width} rows={box.height - 2} theme={theme} />
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
