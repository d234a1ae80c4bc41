import { HOOK, type RecordingReader } from '@looptape/recording';

/** Receives the task hooks in recorded order, as numbers. */
export interface HookVisitor {
  init(seq: number, t: number, task: number, type: string, trigger: number, exec: number, scope: number): void;
  before(seq: number, t: number, task: number): void;
  after(seq: number, t: number, task: number): void;
  resolve(seq: number, t: number, task: number): void;
}

/**
 * Feeds the recording's task hooks to `visitor`, decoded straight from the hook chunks'
 * typed arrays (docs/recording-format.md, "hook_chunks"): a million records, no object each.
 */
export function visitHooks(reader: RecordingReader, visitor: HookVisitor): void {
  const types = reader.asyncTypes();
  for (const chunk of reader.hookChunks()) {
    for (let i = 0; i < chunk.count; i++) {
      const seq = chunk.seq(i);
      const t = chunk.t(i);
      const task = chunk.task(i);
      switch (chunk.kindIndex(i)) {
        case HOOK.init:
          visitor.init(seq, t, task, types.get(chunk.typeCode(i)) ?? `type#${chunk.typeCode(i)}`, chunk.trigger(i), chunk.exec(i), chunk.scope(i));
          break;
        case HOOK.before:
          visitor.before(seq, t, task);
          break;
        case HOOK.after:
          visitor.after(seq, t, task);
          break;
        case HOOK.resolve:
          visitor.resolve(seq, t, task);
          break;
        default:
          break;
      }
    }
  }
}
