import { readTimeline, Sink, writeChromeTrace, writeHar, writePerfetto } from '@looptape/export';
import type { RecordingReader } from '@looptape/recording';
import { parse, println, type Command } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { openRecordingWithTree } from '../open.js';
import { outputFile, writeThrough } from '../output.js';

const usage = `looptape export FILE --format har|chrome-trace|perfetto [--out FILE] [--force]

Writes a recording in a format other tools read:
  har           HAR 1.2: every inbound and outbound HTTP exchange, with its headers, body and
                timings (browser devtools, Charles, Fiddler open it)
  chrome-trace  Trace Event Format JSON (ui.perfetto.dev, chrome://tracing): each request a
                track, its tasks async slices, trigger edges flows, deliveries and findings
                instant events with their seq
  perfetto      the same as Perfetto's TrackEvent protobuf (smaller, and quicker to load)
Redacted values stay redacted: a secret absent from the recording is absent from the export.
Events stream to the output: a large recording is never held in memory.

  --format F   har, chrome-trace or perfetto
  --out FILE   where to write (default: stdout)
  --force      replace FILE if it exists (otherwise an existing file is never touched)

Exit codes: 0 written; 2 a mistake in what was asked (bad flag or format, missing or damaged
recording, an existing --out without --force, perfetto to a terminal); 70 a bug in looptape.

Examples:
  looptape export recordings/api.tape --format har --out api.har
  looptape export recordings/api.tape --format perfetto --out api.perfetto-trace   # open in ui.perfetto.dev`;

type Writer = (reader: RecordingReader, sink: Sink) => Promise<void>;

const FORMATS: Record<string, Writer> = {
  har: writeHar,
  'chrome-trace': (reader, sink) => writeChromeTrace(readTimeline(reader), sink),
  perfetto: (reader, sink) => writePerfetto(readTimeline(reader), sink),
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a recording as HAR, Trace Event JSON (chrome-trace) or a Perfetto trace',
  usage,
  async run(args, context) {
    const { values, positionals } = parse(args, { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } }, usage);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    const format = values.format as string | undefined;
    if (format === undefined) throw new UserError('missing --format', 'one of: har, chrome-trace, perfetto');
    const write = FORMATS[format];
    if (!write) throw new UserError(`unknown format '${format}'`, 'one of: har, chrome-trace, perfetto');
    const out = values.out === undefined ? undefined : outputFile(values.out as string, Boolean(values.force), context.cwd);
    if (!out && format === 'perfetto' && (context.stdout as NodeJS.WriteStream).isTTY) throw new UserError('a perfetto trace is binary: not written to a terminal', `pass --out FILE, or redirect: looptape export ${positionals[0] ?? 'FILE'} --format perfetto > trace.perfetto-trace`);
    const reader = await openRecordingWithTree(positionals[0], usage, context);
    await writeThrough(reader, out ? Sink.toFile(out.file) : Sink.toStream(context.stdout), (sink) => write(reader, sink), out?.shown);
    if (out) println(context.stderr, `looptape: wrote ${out.shown} (${format})`);
    return EXIT.ok;
  },
};
