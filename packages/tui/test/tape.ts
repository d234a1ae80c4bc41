import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOOK_KINDS, HookBuffer, RecordingReader, RecordingWriter, type HookKind, type LoopEvent } from '@looptape/recording';

type Rich = LoopEvent extends infer E ? (E extends LoopEvent ? (E['kind'] extends HookKind ? never : Omit<E, 'seq' | 't' | 'process' | 'task' | 'scope'> & { task?: number; scope?: number | null }) : never) : never;

/** Builds small recordings through the real writer, event by event, for tests. */
export class TapeBuilder {
  private seq = 0;
  private now = 0;
  private readonly rich: LoopEvent[] = [];
  private readonly hooks = new HookBuffer(1 << 16);
  private readonly types = new Map<string, number>();
  private readonly scopes = new Map<number, number>();

  at(t: number): this {
    this.now = t;
    return this;
  }

  init(id: number, type: string, { trigger = 1, exec = 1, scope = null as number | null } = {}): this {
    if (!this.types.has(type)) this.types.set(type, this.types.size + 1);
    this.scopes.set(id, scope ?? 0);
    return this.hook('task.init', id, this.types.get(type)!, trigger, exec);
  }

  before(id: number): this {
    return this.hook('task.before', id);
  }

  after(id: number): this {
    return this.hook('task.after', id);
  }

  resolve(id: number): this {
    return this.hook('task.resolve', id);
  }

  /** A row event; task and scope default to 1 and null. */
  event(e: Rich): this {
    this.rich.push({ task: 1, scope: null, ...e, seq: ++this.seq, t: this.now, process: 0 } as LoopEvent);
    return this;
  }

  get lastSeq(): number {
    return this.seq;
  }

  private hook(kind: HookKind, id: number, typeCode = 0, trigger = 0, exec = 0): this {
    this.hooks.push(++this.seq, this.now, HOOK_KINDS.indexOf(kind), typeCode, id, trigger, exec, this.scopes.get(id) ?? 0);
    return this;
  }

  /** Writes the recording (summaries included, as a closed recording has them). */
  write(file: string, meta: Record<string, unknown> = {}): string {
    const writer = RecordingWriter.create(file, { force: true });
    const count = this.hooks.length;
    const chunk = count ? { firstSeq: this.hooks.firstSeq(), lastSeq: this.hooks.lastSeq(), count, data: this.hooks.take() } : undefined;
    writer.write(this.rich, chunk ? [chunk] : [], [...this.types].map(([name, code]) => [code, name] as [number, string]));
    writer.close({ argv: ['node', 'server.mjs'], durationMs: this.now, exitCode: 0, ...meta });
    return file;
  }
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-tui-'));
}

export function open(file: string): RecordingReader {
  return RecordingReader.open(file);
}
