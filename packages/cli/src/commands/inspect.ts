import { runInspect } from '@looptape/tui';
import { parse, type Command } from '../command.js';
import { UserError } from '../errors.js';
import { openRecordingWithTree } from '../open.js';

const usage = `looptape inspect FILE

Steps through a recording in the terminal, as in a debugger: each request's task tree,
a cursor in time (event by event, delivery by delivery, finding by finding), and the
details of the event or task under it, HTTP bodies included. Press ? inside for the keys.
Needs a terminal; for output to pipe or save, use looptape events or looptape report.

Exit codes: 0 quit with q; 2 not a terminal, or a missing or damaged recording; 70 a bug in looptape.

Example:
  looptape inspect recordings/examples/timeout-race.tape`;

export const inspect: Command = {
  name: 'inspect',
  summary: "step through a recording's task tree and events in the terminal",
  usage,
  async run(args, context) {
    const { stdout, stdin, stderr, env } = context;
    const { positionals } = parse(args, {}, usage);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    const file = positionals[0] ?? 'FILE';
    if (!stdout.isTTY || !stdin.isTTY) {
      throw new UserError(`inspect needs a terminal, and ${stdout.isTTY ? 'stdin' : 'stdout'} is not one`, `for text output use: looptape events ${file}, or looptape report ${file}`);
    }
    const reader = await openRecordingWithTree(positionals[0], usage, context, false);
    try {
      return await runInspect({
        reader,
        stdout: stdout as NodeJS.WriteStream,
        stdin: stdin as NodeJS.ReadStream,
        stderr: stderr as NodeJS.WriteStream,
        env,
      });
    } finally {
      reader.close();
    }
  },
};
