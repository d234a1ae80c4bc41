import { spawn } from 'node:child_process';
import path from 'node:path';
import { readTimeline, Sink, writeView } from '@looptape/export';
import { parse, println, type Command, type CommandContext } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { openRecording, openRecordingWithTree } from '../open.js';
import { outputFile, writeThrough } from '../output.js';

const usage = `looptape view FILE [--out FILE.html] [--force] [--open]

Writes one self-contained HTML page of a recording, which opens with no network (attach it to
a bug ticket): the requests as swimlanes on one time axis with their deliveries, the task tree
of the request you click, the findings with their task paths and source lines, and, for a
recording explore found, its explanation with the moved deliveries highlighted. Large
recordings show a page of requests at a time. Keys as in inspect: j/k, enter, g/G, f/F, d/D, ?.
Redacted values stay redacted.

  --out FILE   where to write (default: FILE with .html for .tape, beside it)
  --force      replace the page if it exists (otherwise an existing file is never touched)
  --open       open the page in the browser ($BROWSER, else the system's opener)

Exit codes: 0 written; 2 a mistake in what was asked (bad flag, missing or damaged recording,
an existing --out without --force); 70 a bug in looptape.

Example:
  looptape view recordings/examples/price-race.found.tape --open`;

export const view: Command = {
  name: 'view',
  summary: 'write a one-file HTML timeline of a recording (swimlanes, task trees, findings)',
  usage,
  async run(args, context) {
    const { values, positionals } = parse(args, { out: { type: 'string' }, force: { type: 'boolean' }, open: { type: 'boolean' } }, usage);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    // Notes about the recording come after the checks of --out: a refusal stays one line.
    openRecording(positionals[0], usage, context.cwd).close();
    const html = `${path.resolve(context.cwd, positionals[0]!).replace(/\.(tape|db|sqlite)$/, '')}.html`;
    const out = outputFile((values.out as string | undefined) ?? html, Boolean(values.force), context.cwd);
    const reader = await openRecordingWithTree(positionals[0], usage, context);
    await writeThrough(reader, Sink.toFile(out.file), (sink) => writeView(readTimeline(reader), positionals[0]!, sink), out.shown);
    println(context.stderr, `looptape: wrote ${out.shown}`);
    if (values.open) openInBrowser(out.file, context);
    return EXIT.ok;
  },
};

/** Hands the page to the user's browser; a missing opener is a note, not a failure (the page is written). */
function openInBrowser(file: string, { env, stderr }: CommandContext): void {
  const opener = env.BROWSER || (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open');
  const child = spawn(opener, [file], { detached: true, stdio: 'ignore' });
  child.on('error', () => println(stderr, `looptape: note: could not start ${opener} to open it; open ${file} in a browser`));
  child.unref();
}
