import { describeEvent, EVENT_KINDS, type EventKind, type LoopEvent } from '@looptape/recording';
import { parse, type Command } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { openRecording, openRecordingWithTree } from '../open.js';

const usage = `looptape events FILE [--kind K]... [--task ID] [--json]

Prints a recording's events in recorded order.
  --kind K   only events of kind K (repeatable): ${EVENT_KINDS.join(', ')}
  --task ID  only events of async task ID
  --json     one JSON object per line (seq, t, kind, task, scope, process, and the kind's fields)

Exit codes: 0 printed; 2 a mistake in what was asked (bad flag, unknown kind, no such task,
missing or damaged recording); 70 a bug in looptape.

Examples:
  looptape events recordings/api.tape --kind http.request --kind http.response
  looptape events recordings/api.tape --json | jq 'select(.kind == "console") | .text'`;

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
    // The task kinds (and a task's events) come from the task tree, derived first for a lean recording.
    const treeKinds = task !== undefined || kinds.some((k) => k.startsWith('task.'));
    const reader = treeKinds ? await openRecordingWithTree(positionals[0], usage, context) : openRecording(positionals[0], usage, context.cwd, context.stderr);
    try {
      let printed = 0;
      for (const e of reader.events({ kinds: kinds as EventKind[], task })) {
        printed++;
        if (!stdout.write(values.json ? `${JSON.stringify(e)}\n` : `${formatEvent(e)}\n`)) await new Promise((r) => stdout.once('drain', r));
      }
      // Nothing printed for a task the recording does not have is a mistake, not an empty answer.
      if (task !== undefined && printed === 0 && task !== 0 && !reader.tasks().some((k) => k.id === task)) {
        throw new UserError(`${positionals[0]} has no task ${task}`, `the tasks are the ids in: looptape events ${positionals[0]} --kind task.init`);
      }
    } finally {
      reader.close();
    }
    return EXIT.ok;
  },
};

/** One readable line per event: `seq  t  kind  task  details`. */
export function formatEvent(e: LoopEvent): string {
  const head = `${String(e.seq).padStart(6)} ${e.t.toFixed(1).padStart(9)}ms  ${e.kind.padEnd(26)} task ${String(e.task).padEnd(5)}${e.scope ? ` req #${e.scope}` : ''}`;
  return `${head}  ${describeEvent(e)}`.trimEnd();
}
