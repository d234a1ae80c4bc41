export { runInspect, type InspectOptions } from './run.js';
export { openInspectData, type InspectData, type InspectReader } from './data/inspect-data.js';
export { App, type AppProps } from './ui/App.js';
export { themeFor, type Theme } from './ui/theme.js';
export { initialState, update, withReport } from './model/update.js';
export { keyToAction, type Action, type KeyInfo } from './model/keys.js';
export type { InspectState } from './model/state.js';
