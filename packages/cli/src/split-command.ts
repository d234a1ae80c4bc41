/** Splits `[options] -- CMD...` into the options part and the command. */
export function splitCommand(args: string[]): { options: string[]; command: string[] } {
  const dash = args.indexOf('--');
  if (dash === -1) return { options: args, command: [] };
  return { options: args.slice(0, dash), command: args.slice(dash + 1) };
}
