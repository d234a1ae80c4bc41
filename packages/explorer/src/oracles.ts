import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReplayResult, RunResponse } from '@looptape/replayer';
import { ExplorerError } from './errors.js';

/** What counts as "the bug happened". Plain data: saved in a found recording's meta. */
export type Oracle =
  | { kind: 'error' }
  | { kind: 'exit!=0' }
  | { kind: 'status>=500' }
  | { kind: 'unanswered' }
  | { kind: 'differs' }
  | { kind: 'stdout' | 'stderr'; pattern: string }
  | { kind: 'finding'; finding: string }
  | { kind: 'js'; file: string };

export const DEFAULT_ORACLES = ['error', 'exit!=0', 'status>=500', 'unanswered'];
const SYNTAX = 'error, exit!=0, status>=500, unanswered, differs, stdout~REGEX, stderr~REGEX, finding:KIND, js:FILE';

/** Parses one `--until` value. A js: file is made absolute against `cwd`. */
export function parseOracle(text: string, cwd = process.cwd()): Oracle {
  const fixed = ['error', 'exit!=0', 'status>=500', 'unanswered', 'differs'] as const;
  if ((fixed as readonly string[]).includes(text)) return { kind: text as (typeof fixed)[number] };
  const output = /^(stdout|stderr)~(.+)$/s.exec(text);
  if (output) {
    try {
      new RegExp(output[2]);
    } catch (error) {
      throw new ExplorerError('BAD_ORACLE', `--until ${text}: not a regular expression (${(error as Error).message})`);
    }
    return { kind: output[1] as 'stdout' | 'stderr', pattern: output[2] };
  }
  if (text.startsWith('finding:') && text.length > 8) return { kind: 'finding', finding: text.slice(8) };
  if (text.startsWith('js:') && text.length > 3) return { kind: 'js', file: path.resolve(cwd, text.slice(3)) };
  throw new ExplorerError('BAD_ORACLE', `unknown oracle '${text}'`, `one of: ${SYNTAX}`);
}

/** An oracle as the user writes it; a js: file relative to `base` when it lies inside it (a recording that keeps it moves with its project). */
export function oracleText(o: Oracle, base?: string): string {
  switch (o.kind) {
    case 'stdout':
    case 'stderr':
      return `${o.kind}~${o.pattern}`;
    case 'finding':
      return `finding:${o.finding}`;
    case 'js': {
      const relative = base ? path.relative(base, o.file) : '';
      return `js:${relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : o.file}`;
    }
    default:
      return o.kind;
  }
}

/** What an oracle needs besides the run: the recorded answers (differs) and the run's findings. */
export interface OracleContext {
  recorded: RunResponse[];
  /** The run's report findings, by kind (only computed when a finding: oracle asks). */
  findings?: Array<{ kind: string; message: string }>;
}

export interface Trip {
  oracle: string;
  reason: string;
  /** Which of the oracles given tripped. */
  index: number;
}

/** The first oracle that trips on this run, with its reason; undefined when none does. */
export async function evaluate(oracles: readonly Oracle[], run: ReplayResult, context: OracleContext): Promise<Trip | undefined> {
  for (const [index, o] of oracles.entries()) {
    const reason = await check(o, run, context);
    if (reason) return { oracle: oracleText(o), reason, index };
  }
  return undefined;
}

/**
 * The same as evaluate for oracles that need no module loaded (all but js:), without waiting:
 * for callers that must answer synchronously, such as a vitest matcher.
 */
export function evaluateNow(oracles: ReadonlyArray<Exclude<Oracle, { kind: 'js' }>>, run: ReplayResult, context: OracleContext): Trip | undefined {
  for (const [index, o] of oracles.entries()) {
    const reason = checkNow(o, run, context);
    if (reason) return { oracle: oracleText(o), reason, index };
  }
  return undefined;
}

async function check(o: Oracle, run: ReplayResult, context: OracleContext): Promise<string | undefined> {
  return o.kind === 'js' ? js(o.file, run) : checkNow(o, run, context);
}

function checkNow(o: Exclude<Oracle, { kind: 'js' }>, run: ReplayResult, context: OracleContext): string | undefined {
  switch (o.kind) {
    case 'error': {
      const e = run.errors[0];
      return e && `${e.kind === 'error.uncaught' ? 'uncaught' : 'unhandled rejection'} ${e.name}: ${e.message}`;
    }
    case 'exit!=0':
      return run.exitCode !== null && run.exitCode !== 0 ? `exit code ${run.exitCode}` : undefined;
    case 'status>=500': {
      const r = run.responses.find((x) => x.status >= 500);
      return r && `${r.method} ${r.url} answered ${r.status}`;
    }
    case 'unanswered': {
      const r = run.unanswered[0];
      return r && `${r.method} ${r.url} never got an answer`;
    }
    case 'differs':
      return differs(context.recorded, run.responses);
    case 'stdout':
    case 'stderr': {
      const match = new RegExp(o.pattern, 'm').exec(run[o.kind]);
      return match ? `${o.kind} matched: ${match[0].slice(0, 120)}` : undefined;
    }
    case 'finding': {
      const f = context.findings?.find((x) => x.kind === o.finding);
      return f && `${f.kind}: ${f.message}`;
    }
    default:
      return assertNever(o);
  }
}

/** The first inbound answer whose status or body differs from the recorded answer to the same request (method, URL, arrival). */
export function differs(recorded: readonly RunResponse[], actual: readonly RunResponse[]): string | undefined {
  const expected = new Map(recorded.map((r) => [requestOf(r), r]));
  const answered = new Set<string>();
  for (const r of actual) {
    const want = expected.get(requestOf(r));
    answered.add(requestOf(r));
    if (!want) continue;
    const name = `${r.method} ${r.url}${r.occurrence > 1 ? ` (${r.occurrence}${r.occurrence === 2 ? 'nd' : r.occurrence === 3 ? 'rd' : 'th'})` : ''}`;
    if (want.status !== r.status) return `${name} answered ${describe(r)} instead of ${describe(want)}`;
    if (want.body !== r.body) return `${name} answered ${clip(r.body)} instead of ${clip(want.body)}`;
  }
  const missing = recorded.find((r) => !answered.has(requestOf(r)) && !r.aborted);
  return missing && `${missing.method} ${missing.url} got no answer (recorded: ${describe(missing)})`;
}

function requestOf(r: RunResponse): string {
  return `${r.method} ${r.url}#${r.occurrence ?? 1}`;
}

function describe(r: RunResponse): string {
  return r.aborted ? 'nothing (its client went away)' : String(r.status);
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

async function js(file: string, run: ReplayResult): Promise<string | undefined> {
  let predicate: unknown;
  try {
    predicate = (await import(pathToFileURL(file).href)).default;
  } catch (error) {
    throw new ExplorerError('BAD_ORACLE', `js:${file}: cannot load it (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof predicate !== 'function') throw new ExplorerError('BAD_ORACLE', `js:${file}: its default export is not a function`, 'export default (run) => true or a reason string');
  const verdict = await predicate(run);
  if (verdict === true) return `js:${path.basename(file)} returned true`;
  return typeof verdict === 'string' && verdict ? verdict : undefined;
}

function assertNever(value: never): never {
  throw new Error(`unknown oracle ${JSON.stringify(value)}`);
}
