import type { Report } from '@looptape/analysis';
import type { RecordingReader } from '@looptape/recording';
import { afterEach } from 'vitest';
import { openInspectData, type InspectData } from '../src/data/inspect-data.js';
import type { Action } from '../src/model/keys.js';
import type { InspectState } from '../src/model/state.js';
import { initialState, update } from '../src/model/update.js';
import { CHECKOUT_REPORT, writeCheckout } from './checkout.js';
import { open, tempDir } from './tape.js';

const readers: RecordingReader[] = [];
afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});

export interface Setup {
  data: InspectData;
  state: InspectState;
  reader: RecordingReader;
}

/** The checkout recording opened for the model, 80x24, with its report unless told otherwise. */
export function checkout(options: { report?: Report | null; width?: number; height?: number } = {}): Setup {
  const reader = open(writeCheckout(tempDir()));
  readers.push(reader);
  const data = openInspectData(reader);
  const report = options.report === null ? undefined : (options.report ?? CHECKOUT_REPORT);
  return { data, reader, state: initialState(data, { width: options.width ?? 80, height: options.height ?? 24, report }) };
}

/** Applies actions in order. */
export function run(state: InspectState, data: InspectData, ...actions: Action[]): InspectState {
  return actions.reduce((s, a) => update(s, a, data), state);
}
