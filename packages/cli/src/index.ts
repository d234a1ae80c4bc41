/**
 * @looptape/cli owns the `looptape` command: argument parsing, each command's wiring, exit
 * codes, and the one top-level handler that tells user mistakes from bugs.
 */
export { main } from './main.js';
export type { Command, CommandContext } from './command.js';
export { UserError } from './errors.js';
