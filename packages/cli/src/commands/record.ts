import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finalizeRecording, RecordingReader } from '@looptape/recording';
import { defaultRecordingName, REGISTER_ENTRY } from '@looptape/recorder';
import { parse, println, type Command } from '../command.js';
import { UserError } from '../errors.js';
import { isNode, nodeScript, scriptExists } from '../node-script.js';
import { splitCommand } from '../split-command.js';

const usage = `looptape record [--out FILE] [--force] [--redact NAME]... [--tree] [--stacks] [--max-file-bytes N] -- CMD...

Runs CMD (a Node.js program: node app.js) and records it into one SQLite file.
  --out FILE      where to write (default: recordings/<program>-<time>.tape)
  --force         replace FILE if it exists (otherwise an existing file is never touched)
  --redact NAME   also redact this header or JSON body field (repeatable); authorization,
                  proxy-authorization, cookie, set-cookie and x-api-key are always redacted
  --tree          record the async task tree live (async_hooks in your process: about 1.9x CPU
                  on a small service). Without it the recording is lean: what replay needs
                  (inputs, outputs, timers, requests), and report, inspect and events derive
                  the tree offline by replaying it once, the first time they need it.
                  Use --tree for a program replay cannot run. LOOPTAPE_TREE=1 makes it the default.
  --stacks        where each task was created (gives report locations in your code; costly
                  with --tree; lean recordings get them when the tree is derived)
  --max-file-bytes N  contents of files the program reads and writes kept per recording (default
                  64 MB; each distinct content once, compressed); past it only their hashes

Exit codes: the program's own exit code (128+N when a signal N ended it); 2 a mistake in what
was asked (bad flag, --out a folder or an existing file without --force, a script that does
not exist, a command that is not a Node.js program: nothing is recorded then); 70 a bug in looptape.

Examples:
  looptape record -- node server.js
  looptape record --out recordings/api.tape --redact password -- node --env-file=.env server.js`;

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export const record: Command = {
  name: 'record',
  summary: 'run a Node.js program and record it into one file',
  usage,
  async run(args, { stderr, cwd, env }) {
    const { options, command } = splitCommand(args);
    const { values, positionals } = parse(options, {
      out: { type: 'string' }, force: { type: 'boolean' }, redact: { type: 'string', multiple: true },
      tree: { type: 'boolean' }, 'no-promises': { type: 'boolean' }, stacks: { type: 'boolean' }, 'max-file-bytes': { type: 'string' },
    }, usage);
    if (values['no-promises'] && values.tree) throw new UserError('--tree and --no-promises do not go together', '--tree records the task tree; leave it out for a lean recording');
    if (values['no-promises']) println(stderr, 'looptape: note: --no-promises is the default now (a lean recording, without the task tree); the flag will go');
    const tree = Boolean(values.tree) || (env.LOOPTAPE_TREE === '1' && !values['no-promises']);
    const maxFileBytes = byteCount(values['max-file-bytes'] as string | undefined);
    const argv = [...positionals, ...command];
    if (argv.length === 0) throw new UserError('missing the command to record', 'looptape record -- node app.js');
    const out = path.resolve(cwd, (values.out as string | undefined) ?? defaultRecordingName(argv));
    const shown = path.relative(cwd, out) || out;
    if (fs.statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`--out ${shown} is a folder, not a file name`, `to write into it: --out ${path.join(shown, 'NAME.tape')}`);
    if (fs.existsSync(out) && !values.force) throw new UserError(`${shown} already exists`, 'pass --force to replace it, or --out to choose another file');
    const script = nodeScript(argv);
    if (script && !scriptExists(script, cwd)) throw new UserError(`cannot record: the script ${script} does not exist in ${cwd}`, 'nothing was run or recorded');
    checkWritable(out);
    const recordingId = randomUUID();
    const options_ = { out, force: Boolean(values.force), redact: (values.redact as string[] | undefined) ?? [], promises: tree, stacks: Boolean(values.stacks), argv, recordingId, maxFileBytes };
    const nodeOptions = `${env.NODE_OPTIONS ?? ''} --import=${REGISTER_ENTRY}`.trim();
    // Its own process group: Ctrl-C reaches `record` alone, which passes it on once (in the
    // terminal's group, the program would get it twice). A program reading the terminal itself
    // would be stopped (SIGTTIN): record services and scripts, not interactive prompts.
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: 'inherit', detached: true, env: { ...env, NODE_OPTIONS: nodeOptions, LOOPTAPE_RECORD: JSON.stringify(options_) } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const s of FORWARDED) process.on(s, forward);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new UserError(`${argv[0]}: command not found`) : error));
      child.once('exit', (c, s) => resolve([c, s]));
    }).finally(() => {
      for (const s of FORWARDED) process.off(s, forward);
    });
    if (!fs.existsSync(out) && !isNode(argv)) {
      throw new UserError(`nothing was recorded: '${argv.join(' ')}' started ${path.basename(argv[0])}, which is not a Node.js program`, 'record the Node.js program itself: looptape record -- node app.js');
    }
    summarize(out, recordingId, cwd, argv, code, signal, stderr);
    return code ?? 128 + (os.constants.signals[signal ?? 'SIGTERM'] ?? 15);
  },
};

/** Finalizes a recording the program could not close (SIGKILL) and says where it went. */
function summarize(out: string, recordingId: string, cwd: string, argv: string[], code: number | null, signal: string | null, stderr: NodeJS.WritableStream): void {
  const relative = path.relative(cwd, out);
  const shown = relative && !relative.startsWith('..') ? relative : out;
  if (!fs.existsSync(out)) {
    println(stderr, `looptape: no recording was written: '${argv.join(' ')}' did not start a Node.js program with the recorder`);
    return;
  }
  const { finalized, complete } = finalizeRecording(out, { signal, exitCode: code }, { recordingId });
  if (!finalized) {
    println(stderr, `looptape: ${shown} was replaced by another recording while this one ran; left as it is`);
    return;
  }
  // A program that ended by itself with its recording open: the recorder stopped (a full disk) and said so.
  if (!complete && signal === null) return;
  if (!complete) println(stderr, `looptape: the program was killed (${signal}); the recording holds what was written before`);
  const reader = RecordingReader.open(out);
  const events = Object.values(reader.counts()).reduce((a, b) => a + b, 0);
  const requests = reader.scopes().length;
  reader.close();
  println(stderr, `looptape: recorded ${events} events${requests ? `, ${requests} inbound request${requests === 1 ? '' : 's'}` : ''} to ${shown}`);
}

/** An --out the recorder could not write would leave the program unrecorded: say so before running it. */
function checkWritable(out: string): void {
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (fs.existsSync(out)) fs.accessSync(out, fs.constants.W_OK);
    else {
      fs.closeSync(fs.openSync(out, 'wx'));
      fs.unlinkSync(out);
    }
  } catch (error) {
    throw new UserError(`cannot write the recording to ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'choose another --out');
  }
}

/** `--max-file-bytes`: a whole number of bytes, with an optional k, M or G. */
function byteCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)([kMG]?)$/.exec(text.trim());
  if (!m) throw new UserError(`--max-file-bytes ${text} is not a number of bytes`, 'for example --max-file-bytes 10M (k, M and G are 1000, 1000² and 1000³)');
  return Number(m[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
}
