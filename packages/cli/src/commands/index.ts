import type { Command } from '../command.js';
import { events } from './events.js';
import { explore } from './explore.js';
import { exportCommand } from './export.js';
import { inspect } from './inspect.js';
import { ls } from './ls.js';
import { record } from './record.js';
import { report } from './report.js';
import { test } from './test.js';
import { replay } from './replay.js';
import { verify } from './verify.js';
import { view } from './view.js';

/** Every command, in the order `looptape --help` lists them. */
export const commands: Command[] = [record, replay, explore, test, report, inspect, view, exportCommand, events, ls, verify];
