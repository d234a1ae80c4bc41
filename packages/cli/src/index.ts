export { main } from './main.js';
export type { Command, CommandContext } from './command.js';
export { UserError } from './errors.js';
