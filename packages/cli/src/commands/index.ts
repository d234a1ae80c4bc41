import type { Command } from '../command.js';
import { events } from './events.js';
import { ls } from './ls.js';
import { record } from './record.js';

/** Every command, in the order `looptape --help` lists them. */
export const commands: Command[] = [record, events, ls];
