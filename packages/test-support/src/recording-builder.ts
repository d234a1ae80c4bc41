import { HookBuffer, RecordingWriter, type HookChunk, type LoopEvent, type RecordingMeta, type TimerApi, HOOK } from '@looptape/recording';

const TOP_LEVEL = 1;

/** A timer the builder set: its looptape id and the asyncId of its Timeout. */
export interface BuiltTimer {
  timer: number;
  resource: number;
}

type EventFields = Record<string, unknown> & { kind: string };

/**
 * Writes synthetic recordings for tests and benchmarks through the real writer, the way the
 * recorder does: task hooks in the numeric stream, the rest as events.
 * - By behaviour: `init`/`promise`/`setTimeout`/`inbound`… number the tasks themselves and carry
 *   scopes from creator to created; `run(task, fn)` is a callback run of `task`, and everything
 *   created inside has it as creator.
 * - Spelled out, for tests that pin exact ids: `task(id, type, …)`, `before(id)`, `after(id)`,
 *   `at(t)`, and `event(…)` with its task and scope given.
 */
export class RecordingBuilder {
  t = 0;
  private seq = 0;
  private nextId = 100;
  private nextExchange = 1;
  private nextTimer = 1;
  private readonly running: number[] = [];
  private readonly scopes = new Map<number, number>();
  private requestScope: number | null = null;
  private readonly types = new Map<string, number>();
  private readonly newTypes: Array<[number, string]> = [];
  private events: LoopEvent[] = [];
  private readonly hooks = new HookBuffer(1 << 14);
  private chunks: HookChunk[] = [];
  private readonly writer: RecordingWriter;

  constructor(readonly path: string, readonly meta: Partial<RecordingMeta> = {}) {
    this.writer = RecordingWriter.create(path, { force: true });
    this.writer.writeMeta({ promises: true, stacks: false, cwd: '/app', argv: ['node', 'app.mjs'], ...meta });
  }

  /** Sets the clock to `t` ms. */
  at(t: number): this {
    this.t = t;
    return this;
  }

  /** Advances the clock by `ms`. */
  wait(ms: number): this {
    this.t += ms;
    return this;
  }

  /** The task whose callback is running (1: the program's first synchronous run). */
  get current(): number {
    return this.running[this.running.length - 1] ?? TOP_LEVEL;
  }

  get scope(): number | null {
    return this.requestScope ?? this.scopes.get(this.current) ?? null;
  }

  /** An async resource created by the running task. `trigger` defaults to the creator. */
  init(type: string, trigger = this.current): number {
    const id = this.nextId++;
    const scope = this.scope;
    if (scope !== null) this.scopes.set(id, scope);
    this.hook(HOOK.init, id, type, trigger, this.current, scope ?? 0);
    return id;
  }

  /** `new Promise(...)` or an async function call. */
  promise(): number {
    return this.init('PROMISE');
  }

  /** `parent.then(...)`, `await parent`, Promise.all over it: a promise chained from `parent`. */
  then(parent: number): number {
    return this.init('PROMISE', parent);
  }

  /** A task with the id `id`, its trigger, creator (`exec`) and scope given, not taken from the running task. */
  task(id: number, type: string, { trigger = TOP_LEVEL, exec = TOP_LEVEL, scope = null as number | null } = {}): this {
    if (scope !== null) this.scopes.set(id, scope);
    this.hook(HOOK.init, id, type, trigger, exec, scope ?? 0);
    return this;
  }

  resolve(task: number): this {
    return this.mark(HOOK.resolve, task);
  }

  /** `task`'s callback starts; events stay the running task's (see `run`). */
  before(task: number): this {
    return this.mark(HOOK.before, task);
  }

  after(task: number): this {
    return this.mark(HOOK.after, task);
  }

  /** One run of `task`'s callback: before, `fn`, after. */
  run(task: number, fn: () => void = () => {}): this {
    this.before(task);
    this.running.push(task);
    fn();
    this.running.pop();
    return this.after(task);
  }

  setTimer(api: TimerApi, delay: number, site: string | null = 'app.mjs:10:3'): BuiltTimer {
    const resource = this.init(api === 'setImmediate' ? 'Immediate' : 'Timeout');
    const timer = this.nextTimer++;
    this.event({ kind: 'timer.set', timer, api, delay, repeat: api === 'setInterval', resource, ...(site ? { site } : {}) });
    return { timer, resource };
  }

  setTimeout(delay: number, site?: string | null): BuiltTimer {
    return this.setTimer('setTimeout', delay, site);
  }

  setInterval(delay: number, site?: string | null): BuiltTimer {
    return this.setTimer('setInterval', delay, site);
  }

  /** The timer fires: its callback runs `fn` as its resource. */
  fire(timer: BuiltTimer, fn: () => void = () => {}): this {
    return this.run(timer.resource, () => {
      this.event({ kind: 'timer.fire', timer: timer.timer });
      fn();
    });
  }

  clear(timer: BuiltTimer): this {
    this.event({ kind: 'timer.clear', timer: timer.timer });
    return this;
  }

  /** A request arrives: `fn` is the handler's synchronous run, in the request's scope. Returns its exchange. */
  inbound(method: string, url: string, fn: (exchange: number) => void = () => {}): number {
    const exchange = this.nextExchange++;
    const message = this.init('HTTPINCOMINGMESSAGE');
    this.run(message, () => {
      this.requestScope = exchange;
      this.event({ kind: 'http.request', exchange, direction: 'in', method, url, headers: {}, body: '' });
      fn(exchange);
      this.requestScope = null;
    });
    return exchange;
  }

  /** The response to inbound `exchange` finished. */
  respond(exchange: number, status = 200): this {
    this.event({ kind: 'http.response', exchange, direction: 'in', status, headers: {}, body: '', scope: exchange });
    return this;
  }

  /** The client of inbound `exchange` went away. */
  abort(exchange: number): this {
    this.event({ kind: 'http.abort', exchange, direction: 'in', scope: exchange });
    return this;
  }

  /** The running task calls out. Returns the exchange. */
  outbound(method: string, url: string, site: string | null = 'app.mjs:20:5'): number {
    const exchange = this.nextExchange++;
    this.event({ kind: 'http.request', exchange, direction: 'out', method, url, headers: {}, body: '', client: 'fetch', ...(site ? { site } : {}) });
    return exchange;
  }

  /** The upstream answers outbound `exchange`. */
  answer(exchange: number, status = 200, scope: number | null = null): this {
    this.event({ kind: 'http.response', exchange, direction: 'out', status, headers: {}, body: '', scope });
    return this;
  }

  listen(port = 3000): this {
    this.event({ kind: 'http.listen', port, host: '127.0.0.1', server: 1 });
    return this;
  }

  uncaught(message: string, stack = `Error: ${message}\n    at boom (file:///app/app.mjs:7:11)`): this {
    this.event({ kind: 'error.uncaught', name: 'Error', message, stack });
    return this;
  }

  /** Node reports a rejection nobody handled; the recorder emits it in the rejected promise's context. */
  unhandled(promise: number, message: string, handled = false): this {
    const stack = `Error: ${message}\n    at job (file:///app/app.mjs:9:9)`;
    return this.event({ kind: 'error.unhandled-rejection', name: 'Error', message, stack, handled, task: promise, scope: this.scopes.get(promise) ?? null });
  }

  console(text: string): this {
    this.event({ kind: 'console', stream: 'stdout', text });
    return this;
  }

  /** Any event; `task` and `scope` default to the running task's. */
  event(fields: EventFields): this {
    this.events.push({ seq: ++this.seq, t: this.t, task: this.current, scope: this.scope, process: 0, ...fields } as unknown as LoopEvent);
    if (this.events.length >= 10_000) this.flush();
    return this;
  }

  /**
   * The program exits with `code` (also how the builder ends a recording). With `held`, the
   * recorder's list of handles active at exit comes first: `[]` for a program that ended by
   * itself, `['TCPServerWrap']` for a process.exit() with a server still listening.
   */
  exit(code = 0, held?: string[]): this {
    if (held) this.event({ kind: 'process.active', resources: held });
    return this.event({ kind: 'process.exit', code });
  }

  signal(signal = 'SIGTERM'): this {
    return this.event({ kind: 'process.signal', signal });
  }

  /** Writes what is left and closes the recording (summaries included). */
  close(): string {
    this.sealHooks();
    this.flush();
    this.writer.close({ durationMs: this.t });
    return this.path;
  }

  private mark(kind: number, task: number): this {
    this.hook(kind, task, '', 0, 0, this.scopes.get(task) ?? 0);
    return this;
  }

  private hook(kind: number, task: number, type: string, trigger: number, exec: number, scope: number): void {
    let code = 0;
    if (kind === HOOK.init) {
      code = this.types.get(type) ?? this.types.size + 1;
      if (!this.types.has(type)) {
        this.types.set(type, code);
        this.newTypes.push([code, type]);
      }
    }
    this.hooks.push(++this.seq, this.t, kind, code, task, trigger, exec, scope);
    if (this.hooks.full) this.sealHooks();
  }

  private sealHooks(): void {
    if (this.hooks.length === 0) return;
    const firstSeq = this.hooks.firstSeq();
    const lastSeq = this.hooks.lastSeq();
    const count = this.hooks.length;
    this.chunks.push({ data: this.hooks.take(), firstSeq, lastSeq, count });
    if (this.chunks.length >= 16) this.flush();
  }

  private flush(): void {
    this.writer.write(this.events, this.chunks, this.newTypes.splice(0));
    this.events = [];
    this.chunks = [];
  }
}
