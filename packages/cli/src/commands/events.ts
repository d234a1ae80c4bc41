import { describeEvent, EVENT_KINDS, type EventKind, type LoopEvent } from '@looptape/recording';
import { parse, type Command } from '../command.js';
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
  async run(args, context) {
    const { stdout } = context;
    const { values, positionals } = parse(args, { kind: { type: 'string', multiple: true }, task: { type: 'string' }, json: { type: 'boolean' } }, usage);
    const kinds = (values.kind ?? []) as string[];
    for (const k of kinds) if (!EVENT_KINDS.includes(k as EventKind)) throw new UserError(`unknown event kind '${k}'`, `one of ${EVENT_KINDS.join(', ')}`);
    const task = values.task === undefined ? undefined : Number(values.task as string);
    if (task !== undefined && !Number.isInteger(task)) throw new UserError(`--task takes a task id (a number), not '${values.task}'`);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`);
    const reader = openRecording(positionals[0], usage, context.cwd, context.stderr);
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
  return `${head}  ${describeEvent(e)}`.trimEnd();
}
