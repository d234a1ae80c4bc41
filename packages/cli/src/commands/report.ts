import { analyze, formatReport, hasProblems } from '@looptape/analysis';
import { parse, println, type Command } from '../command.js';
import { UserError } from '../errors.js';
import { openRecording } from '../open.js';

const usage = `looptape report FILE [--json] [--slow MS]

Names the unawaited, orphaned and leaked async work in a recording, each finding with
the task path that led to it, grouped by request, most severe first:
  uncaught-error, unhandled-rejection   with the task path where the failing work started
  unanswered-request                    an inbound request that got no response
  orphaned-task                         work of a request still running after its response (or its client left)
  floating-promise                      an async call nobody awaited that settled after its request (or caller) was done
  rogue-loop                            a timer chain that keeps firing with nothing driving it
  leaked-handle                         timers (and handles, when recorded) still active when the program exited
  slow-request                          (info) a request that took MS or longer, and where its time went

  --json     print {"findings": [...], "missing": [...]}; "missing" lists the kinds this
             recording cannot (fully) answer for (e.g. recorded with --no-promises)
  --slow MS  report requests that took MS milliseconds or longer (default 1000; 0: every request)

Exit codes: 0 with no findings, 1 with findings of severity error or warning (slow-request
findings are info and never change it); 2 a mistake in what was asked (bad flag, missing or
damaged recording); 70 a bug in looptape.

Examples:
  looptape report recordings/api.tape
  looptape report recordings/api.tape --json --slow 200 | jq '.findings[].kind'`;

export const report: Command = {
  name: 'report',
  summary: 'name unawaited, orphaned and leaked async work in a recording',
  usage,
  async run(args, context) {
    const { stdout } = context;
    const { values, positionals } = parse(args, { json: { type: 'boolean' }, slow: { type: 'string' } }, usage);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    const slowMs = values.slow === undefined ? undefined : Number(values.slow);
    if (slowMs !== undefined && !(Number.isFinite(slowMs) && slowMs >= 0)) throw new UserError(`--slow takes milliseconds (a number ≥ 0), not '${values.slow}'`, 'e.g. --slow 200; --slow 0 reports every request');
    const reader = openRecording(positionals[0], usage, context.cwd, context.stderr);
    try {
      const result = analyze(reader, { slowMs });
      const text = values.json ? JSON.stringify(result, null, 2) : formatReport(result, { file: positionals[0], cwd: reader.meta.cwd });
      println(stdout, text);
      return hasProblems(result) ? 1 : 0;
    } finally {
      reader.close();
    }
  },
};
