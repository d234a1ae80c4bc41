import fs from 'node:fs';
import path from 'node:path';
import { analyze, applySuppressions, CONFIG_FILE, ConfigError, explainFinding, findingAt, formatReport, hasProblems, loadConfig, type SuppressionConfig } from '@looptape/analysis';
import { parse, println, type Command } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { openRecording, openRecordingWithTree } from '../open.js';

const usage = `looptape report FILE [--json] [--explain SEQ] [--slow MS] [--block MS] [--fanout N] [--config FILE]

Names the unawaited, orphaned and leaked async work in a recording, each finding with
the task path that led to it and why it was judged so, grouped by request, most severe first:
  uncaught-error, unhandled-rejection   with the task path where the failing work started
  unanswered-request                    a request that got no response (not one whose client left while it was worked on)
  orphaned-task                         work of a request still running after its response (not shutdown work)
  floating-promise                      an async call nobody awaited that settled after its request (or caller) was done
  rogue-loop                            a timer chain that keeps firing with nothing driving it (not an unref'd one)
  leaked-handle                         a timer that kept the process alive after its last work (not at a process.exit())
  swallowed-error                       an outbound call failed, and its request was answered as a success with nothing logged or retried
  blocked-loop                          a callback that ran synchronously for MS (--block) or longer and delayed a timer
  unbounded-fanout                      more than N (--fanout) outbound calls from one site in flight at once for one request
  slow-request                          (info) a request that took MS or longer, and where its time went

  --json         print {"findings": [...], "missing": [...], "suppressed": [...]}; each finding has a
                 "reason": {rule, why, evidence (seqs), fine}; "missing" lists the kinds this
                 recording cannot (fully) answer for (e.g. recorded with --no-promises)
  --explain SEQ  print the reasoning behind the finding at SEQ (or whose evidence holds SEQ),
                 with each evidence event
  --slow MS      report requests that took MS milliseconds or longer (default 1000; 0: every request)
  --block MS     report callbacks that ran synchronously MS milliseconds or longer (default 50)
  --fanout N     report more than N calls from one site in flight at once (default 32)
  --config FILE  suppressions (default: ${CONFIG_FILE} in the recorded program's folder):
                 {"rules": {"KIND": "off"}, "overrides": [{"files": ["GLOB"], "rules": {"KIND": "off"}}]}

Suppress one finding in the code, on the line above where it is located:
  // looptape-ignore-next-line orphaned-task
Suppressed findings are listed as such, and do not count.

Exit codes: 0 with no findings, 1 with findings of severity error or warning (slow-request
findings are info and never change it; --explain exits 0); 2 a mistake in what was asked (bad flag, missing or
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
    const flags = { json: { type: 'boolean' }, slow: { type: 'string' }, block: { type: 'string' }, fanout: { type: 'string' }, explain: { type: 'string' }, config: { type: 'string' } } as const;
    const { values, positionals } = parse(args, flags, usage);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    const slowMs = number(values.slow as string | undefined, '--slow takes milliseconds (a number ≥ 0)');
    const blockMs = number(values.block as string | undefined, '--block takes milliseconds (a number > 0)', 1);
    const fanout = number(values.fanout as string | undefined, '--fanout takes a whole number of calls (≥ 1)', 1, true);
    const explain = number(values.explain as string | undefined, '--explain takes the seq of a finding (a whole number)', 0, true);
    // The config is read (and refused) before a lean recording's tree is derived.
    const recorded = openRecording(positionals[0], usage, context.cwd);
    const cwd = recorded.meta.cwd || context.cwd;
    recorded.close();
    const { config, name } = readConfig(values.config as string | undefined, context.cwd, cwd);
    const reader = await openRecordingWithTree(positionals[0], usage, context);
    try {
      const result = applySuppressions(analyze(reader, { slowMs, blockMs, fanout }), { cwd, config, configName: name });
      if (explain !== undefined) {
        const f = findingAt(result, explain);
        if (!f) throw new UserError(`no finding at seq ${explain}`, `findings are at seq ${[...result.findings, ...(result.suppressed ?? [])].map((x) => x.seq).join(', ') || '(none)'}`);
        println(stdout, values.json ? JSON.stringify(f, null, 2) : explainFinding(reader, f, cwd));
        return EXIT.ok;
      }
      const text = values.json ? JSON.stringify(result, null, 2) : formatReport(result, { file: reader.meta.tree === 'derived' ? `${positionals[0]} (task tree derived by replay)` : positionals[0], cwd });
      println(stdout, text);
      return hasProblems(result) ? EXIT.failed : EXIT.ok;
    } finally {
      reader.close();
    }
  },
};

function number(value: string | undefined, message: string, min = 0, whole = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || (whole && !Number.isInteger(n))) throw new UserError(`${message}, not '${value}'`, 'looptape report --help lists the options and their values');
  return n;
}

/** --config FILE, else looptape.config.json beside the recorded program; a bad one is a user error. */
function readConfig(flag: string | undefined, here: string, programCwd: string): { config?: SuppressionConfig; name?: string } {
  const file = flag !== undefined ? path.resolve(here, flag) : path.join(programCwd, CONFIG_FILE);
  if (flag === undefined && !fs.existsSync(file)) return {};
  try {
    return { config: loadConfig(file), name: flag ?? CONFIG_FILE };
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
}
