import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { testRecording, type TestOutcome } from '@looptape/explorer';
import { parse, println, type Command, type CommandContext } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { splitCommand } from '../split-command.js';
import { junitReport } from '../junit.js';

const usage = `looptape test [FILE|DIR]... [--until ORACLE]... [--update [--force]] [--json] [--reporter default|junit] [-- CMD...]

Keeps recordings as regression tests: replays each against the current code (or CMD), leniently
(outbound calls matched by method, URL and body, then occurrence; answers the code no longer
asks for are unused; timers the code now sets fire at their due time), in the recording's order
— the failing order for a recording made by explore — and checks its oracle:
  the one explore found it with, else the one kept with --update, else every inbound answer
  (status and body) against the recording (differs). A DIR runs every recording in it.
  --until ORACLE   check these oracles instead (the syntax of explore --until; repeatable)
  --update         keep what the code does now as the expected answers (and --until's oracles),
                   in a new file NAME.updated.tape; asks first on a terminal
  --force          with --update: replace the recording itself
  --json           one JSON object per recording, one per line
  --reporter R     default, or junit (JUnit XML on stdout, for CI)
  -- CMD...        the command to test (default: the recorded command line)

Exit codes: 0 no oracle tripped, 1 one did (the bug is there), 2 a recording cannot be
tested (bad file, or a request the recording has no answer for: shown against the nearest
recorded requests, field by field) or bad input, 70 a bug in looptape.
Examples:
  looptape test recordings/examples/double-book.found.tape
  looptape test recordings/examples/double-book.found.tape -- node examples/double-book/server.fixed.mjs
  looptape test recordings/ --reporter junit > junit.xml`;

export const test: Command = {
  name: 'test',
  summary: 'replay recordings as regression tests against the current code',
  usage,
  async run(args, context) {
    const { options, command } = splitCommand(args);
    const { values, positionals } = parse(options, {
      until: { type: 'string', multiple: true }, update: { type: 'boolean' }, force: { type: 'boolean' }, json: { type: 'boolean' }, reporter: { type: 'string' },
    }, usage);
    const reporter = (values.reporter as string | undefined) ?? 'default';
    if (reporter !== 'default' && reporter !== 'junit') throw new UserError(`--reporter is default or junit, not '${reporter}'`);
    if (values.force && !values.update) throw new UserError('--force goes with --update (it replaces the recording)');
    const files = recordingsIn(positionals.length ? positionals : ['recordings'], context.cwd);
    const until = values.until as string[] | undefined;
    const outcomes: TestOutcome[] = [];
    for (const file of files) {
      const saveTo = values.update ? await updateTarget(file, Boolean(values.force), context) : undefined;
      if (values.update && !saveTo) continue;
      const outcome = await testRecording({ file, command, cwd: context.cwd, env: context.env, until, saveTo: saveTo?.tmp });
      if (saveTo) finishUpdate(outcome, saveTo, context);
      outcomes.push(outcome);
      if (values.json) println(context.stdout, JSON.stringify(jsonOf(outcome, context.cwd)));
      else if (reporter === 'default') println(context.stdout, line(outcome, context.cwd));
    }
    if (reporter === 'junit') println(context.stdout, junitReport(outcomes, context.cwd));
    else if (!values.json) println(context.stdout, totals(outcomes));
    return outcomes.some((o) => o.status === 'error') ? EXIT.usage : outcomes.some((o) => o.status === 'fail') ? EXIT.failed : EXIT.ok;
  },
};

/** The recordings named: files as given, folders searched (recursively) for *.tape. */
function recordingsIn(names: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const name of names) {
    const full = path.resolve(cwd, name);
    if (!fs.existsSync(full)) throw new UserError(`${name}: no such file or folder`);
    if (!fs.statSync(full).isDirectory()) {
      out.push(full);
      continue;
    }
    const found = fs.readdirSync(full, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tape') && !f.split(path.sep).some((p) => p.startsWith('.'))).sort();
    if (found.length === 0) throw new UserError(`${name} holds no recordings (*.tape)`);
    out.push(...found.map((f) => path.join(full, f)));
  }
  return out;
}

interface UpdateTarget {
  tmp: string;
  final: string;
}

/** Where --update writes: NAME.updated.tape (never replacing it), or the recording itself with --force. Asks on a terminal. */
async function updateTarget(file: string, force: boolean, context: CommandContext): Promise<UpdateTarget | undefined> {
  const final = force ? file : file.replace(/\.tape$/, '') + '.updated.tape';
  if (!force && fs.existsSync(final)) throw new UserError(`${path.relative(context.cwd, final)} already exists`, 'remove it, or pass --force to replace the recording itself');
  if (context.stdin.isTTY && context.stdout.isTTY) {
    const rl = readline.createInterface({ input: context.stdin, output: context.stdout as NodeJS.WritableStream });
    const answer = await rl.question(`keep what the code does now as the expected answers of ${path.relative(context.cwd, file)}, in ${path.relative(context.cwd, final)}? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return undefined;
  }
  return { tmp: path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.tmp`), final };
}

function finishUpdate(outcome: TestOutcome, target: UpdateTarget, context: CommandContext): void {
  if (outcome.status === 'error' || !fs.existsSync(target.tmp)) {
    fs.rmSync(target.tmp, { force: true });
    return;
  }
  fs.renameSync(target.tmp, target.final);
  outcome.status = 'pass';
  outcome.reason = `updated: ${path.relative(context.cwd, target.final)} now expects what the code does`;
}

function line(o: TestOutcome, cwd: string): string {
  const name = path.relative(cwd, o.file) || o.file;
  const word = { pass: 'PASS ', fail: 'FAIL ', error: 'ERROR' }[o.status];
  const checked = o.oracles.length ? `  [${o.oracles.join(', ')}]` : '';
  return `${word} ${name}${checked}${o.reason ? `\n      ${o.reason.replace(/\n/g, '\n      ')}` : ''}`;
}

function totals(outcomes: TestOutcome[]): string {
  const n = (s: TestOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return `${outcomes.length} recording${outcomes.length === 1 ? '' : 's'}: ${n('pass')} passed, ${n('fail')} failed, ${n('error')} could not be tested`;
}

function jsonOf(o: TestOutcome, cwd: string): Record<string, unknown> {
  return { file: path.relative(cwd, o.file) || o.file, status: o.status, oracles: o.oracles, reason: o.reason ?? null, durationMs: o.durationMs, responses: o.run?.responses ?? [] };
}
