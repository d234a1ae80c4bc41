import { EVENT_KINDS, type EventKind, type LoopEvent } from '@looptape/recording';
import { parse, println, type Command } from '../command.js';
import { UserError } from '../errors.js';
import { openRecording } from '../open.js';

const usage = `looptape events FILE [--kind K]... [--task ID] [--json]

Prints a recording's events in recorded order.
  --kind K   only events of kind K (repeatable): ${EVENT_KINDS.join(', ')}
  --task ID  only events of async task ID
  --json     one JSON object per line (seq, t, kind, task, scope, process, and the kind's fields)`;

export const events: Command = {
  name: 'events',
  summary: 'print the events of a recording (JSON Lines with --json)',
  usage,
  async run(args, { stdout }) {
    const { values, positionals } = parse(args, { kind: { type: 'string', multiple: true }, task: { type: 'string' }, json: { type: 'boolean' } }, usage);
    const kinds = (values.kind ?? []) as string[];
    for (const k of kinds) if (!EVENT_KINDS.includes(k as EventKind)) throw new UserError(`unknown event kind '${k}'`, `one of ${EVENT_KINDS.join(', ')}`);
    const task = values.task === undefined ? undefined : Number(values.task as string);
    if (task !== undefined && !Number.isInteger(task)) throw new UserError(`--task takes a task id (a number), not '${values.task}'`);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    const reader = openRecording(positionals[0], usage);
    try {
      for (const e of reader.events({ kinds: kinds as EventKind[], task })) {
        if (!stdout.write(values.json ? `${JSON.stringify(e)}\n` : `${formatEvent(e)}\n`)) await new Promise((r) => stdout.once('drain', r));
      }
    } finally {
      reader.close();
    }
    return 0;
  },
};

/** One readable line per event: `seq  t  kind  task  details`. */
export function formatEvent(e: LoopEvent): string {
  const head = `${String(e.seq).padStart(6)} ${e.t.toFixed(1).padStart(9)}ms  ${e.kind.padEnd(26)} task ${String(e.task).padEnd(5)}${e.scope ? ` req #${e.scope}` : ''}`;
  return `${head}  ${details(e)}`.trimEnd();
}

function details(e: LoopEvent): string {
  switch (e.kind) {
    case 'task.init': return `${e.type} trigger=${e.trigger} exec=${e.exec}`;
    case 'task.before': case 'task.after': case 'task.resolve': case 'task.destroy': return '';
    case 'task.stack': return e.site ?? '';
    case 'timer.set': return `${e.api}(${e.delay}) timer=${e.timer}${e.internal ? ' internal' : ''}${e.site ? ` at ${e.site}` : ''}`;
    case 'timer.fire': case 'timer.clear': return `timer=${e.timer}`;
    case 'http.request': return `${e.direction} #${e.exchange} ${e.method} ${e.url}${e.body ? ` body=${clip(e.body)}` : ''}`;
    case 'http.response': return `${e.direction} #${e.exchange} ${e.status}${e.body ? ` body=${clip(e.body)}` : ''}`;
    case 'http.error': return `${e.direction} #${e.exchange} ${e.code ?? ''} ${e.message}`;
    case 'http.body': return `${e.direction} #${e.exchange} ${clip(e.chunk)}`;
    case 'http.abort': return `${e.direction} #${e.exchange}`;
    case 'http.listen': return `${e.host}:${e.port}`;
    case 'nondet': return `${e.source} = ${clip(JSON.stringify(e.value))}`;
    case 'console': return `${e.stream} ${clip(JSON.stringify(e.text))}`;
    case 'error.uncaught': case 'error.unhandled-rejection': return `${e.name}: ${e.message}`;
    case 'process.exit': return `code ${e.code}`;
    case 'process.signal': return e.signal;
    case 'process.active': return e.resources.join(', ');
    case 'unsupported': return `${e.what}: ${e.detail}`;
    default: return assertNever(e);
  }
}

function clip(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function assertNever(value: never): never {
  throw new Error(`unhandled event kind ${(value as LoopEvent).kind}`);
}
