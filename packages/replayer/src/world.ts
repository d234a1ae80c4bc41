import { AsyncResource } from 'node:async_hooks';
import fs from 'node:fs';
import FakeTimers from '@sinonjs/fake-timers';
import { RecordingReader, type EventKind, type HttpListen, type HttpRequest, type LoopEvent, type Nondet, type RecordingMeta, type StreamLook, EVENT_KINDS, isHookKind } from '@looptape/recording';
import {
  counter, installConsole, installHttpIn, installHttpOut, installLifecycle, installNondet, installTaskHooks, installTimers,
  installUnsupported, Patches, Redactor, Session, DEFAULT_REDACTED, type ProgramEnd,
} from '@looptape/recorder';
import { Comparator } from './comparator.js';
import type { Divergence } from './divergence.js';
import { Outbound } from './outbound.js';
import { Quiescence } from './quiescence.js';
import type { ReplayResult } from './result.js';
import { loadSchedule, recordedSchedule, deliveryId, type Delivery } from './schedule.js';
import { runSchedule, type Deliverer } from './scheduler.js';
import { tapeDraw } from './tape.js';
import { VirtualNet } from './virtual-net.js';
import { VirtualTimers } from './virtual-timers.js';
import { inboundKey, Occurrences } from './keys.js';

export interface ReplayOptions {
  /** The recording. */
  file: string;
  /** Another schedule to follow (a JSON file), instead of the recorded one. */
  schedule?: string;
  /** Where to write the ReplayResult as JSON when the program ends. */
  resultFile: string;
}

const RICH_KINDS = EVENT_KINDS.filter((k) => !isHookKind(k)) as EventKind[];

/** The recording's events the replay needs (everything but the task hooks). */
export function loadRecording(file: string): { events: LoopEvent[]; complete: boolean; startEpochMs: number; redacted: string[]; terminal?: RecordingMeta['terminal'] } {
  const reader = RecordingReader.open(file);
  try {
    const { complete, startEpochMs, redacted, terminal } = reader.meta;
    return { events: [...reader.events({ kinds: RICH_KINDS })], complete, startEpochMs, redacted, terminal };
  } finally {
    reader.close();
  }
}

/**
 * Makes the recording this process's whole outside world, before the program loads:
 * virtual clock and timers, recorded answers to outbound requests, recorded inbound requests,
 * recorded values for every source of nondeterminism — then walks the schedule.
 */
export function startReplay(options: ReplayOptions): void {
  const realNow = performance.now.bind(performance);
  const realSetImmediate = setImmediate;
  const realSetTimeout = setTimeout;
  // Deliveries run in this scope: not looptape's own (the program's tasks must be recorded),
  // not inside the scheduler's resources (which are looptape's own and unrecorded).
  const deliveryScope = new AsyncResource('looptape.delivery');
  const { events, complete, startEpochMs, redacted, terminal } = loadRecording(options.file);
  if (terminal) {
    lookLike(process.stdout, terminal.stdout);
    lookLike(process.stderr, terminal.stderr);
  }
  // The recording holds placeholders for secrets: the program's own events are redacted the
  // same way (same names, same order of first sight, so the same placeholders) before comparing.
  const redactor = new Redactor(redacted.filter((name) => !DEFAULT_REDACTED.includes(name)));
  const recorded = recordedSchedule(events);
  const deliveries = options.schedule ? loadSchedule(options.schedule).deliveries : recorded.deliveries;
  const strict = !options.schedule || sameOrder(deliveries, recorded.deliveries);

  // Date stays Node's own (fake-timers' Date breaks `new Date().constructor === Date`): the
  // recorder's Date wrapper asks the tape, or under another schedule this clock, for each reading.
  const clock = FakeTimers.withGlobal(globalThis).install({ now: startEpochMs, toFake: ['performance', 'hrtime'] });
  const virtualNow = () => clock.now - startEpochMs;
  const comparator = new Comparator(events, strict);
  const outcome = new Outcome();
  let stopped = false;
  let delivered = 0;
  let started = 0;

  // Reports that arrive together (the interceptor's "unrecorded request" and the comparator's
  // view of the same request, which knows its task path and source line) are merged.
  const reported: Divergence[] = [];
  const finish = (end: Partial<ProgramEnd> = {}) => {
    if (outcome.written) return;
    session.drainHeld();
    const divergence = merge(reported) ?? comparator.finish() ?? (delivered < deliveries.length ? undelivered(deliveries[delivered]) : undefined) ?? leftWaiting(outbound.pending());
    outcome.write(options.resultFile, {
      ok: !divergence, divergence: divergence ?? null, exitCode: end.code ?? outcome.exitCode, virtualMs: virtualNow(),
      wallMs: started ? Math.round(realNow() - started) : 0, delivered, scheduled: deliveries.length, strict, streamHash: comparator.streamHash(),
    });
  };
  const stop = (d: Divergence) => {
    reported.push(d);
    if (reported.length > 1) return;
    session.own(() => realSetImmediate(() => {
      stopped = true;
      finish();
      process.exit(1);
    }));
  };
  const session = new Session({
    sink: { write() {} },
    now: virtualNow,
    observe: (live) => {
      const e = structuredClone(live);
      redactor.apply([e]);
      outcome.observe(e);
      const d = comparator.observe(e);
      if (d) stop(d);
    },
  });

  const patches = new Patches();
  const exchangeIds = counter();
  const timerIds = counter();
  installLifecycle(session, patches, finish);
  installConsole(session, patches);
  installUnsupported(session, patches);
  installNondet(session, patches, tapeDraw(events.filter((e): e is Nondet => e.kind === 'nondet'), strict, () => clock.now));
  const timers = new VirtualTimers(session, virtualNow, timerIds);
  timers.install(patches);
  installTimers(session, patches, ['setImmediate'], timerIds);
  const outbound = new Outbound(events, stop, (text) => redactor.text(text));
  patches.add(outbound.install());
  installHttpOut(session, patches, { next: exchangeIds });
  const net = new VirtualNet(events.filter((e): e is HttpListen => e.kind === 'http.listen'));
  net.install(patches);
  installHttpIn(session, patches, { next: exchangeIds });
  const quiescence = new Quiescence(() => session.seq);
  patches.add(quiescence.install());
  patches.add(installTaskHooks(session));

  const inbound = new Map<string, HttpRequest>();
  const occurrences = new Occurrences();
  for (const e of events) if (e.kind === 'http.request' && e.direction === 'in') inbound.set(`${inboundKey(e)}#${occurrences.next(inboundKey(e))}`, e);

  const world: Deliverer = {
    stopped: () => stopped,
    advance(d) {
      const timer = d.kind === 'timer' ? timers.find(d.key, d.timer ?? 1) : undefined;
      const target = strict ? d.t : Math.max(virtualNow(), timer?.due ?? d.t ?? 0);
      if (target > virtualNow()) clock.tick(target - virtualNow());
    },
    // Each delivery runs in a real macrotask of its own, as the event loop would run it: what
    // the program throws there is a genuine uncaught exception (its handlers run, or it crashes),
    // never a rejection in the scheduler.
    deliver(d) {
      return new Promise((resolve) => {
        realSetImmediate(() => {
          // Counted before it runs: the program may end inside it (a crash the recording has too).
          delivered++;
          let problem: Divergence | undefined;
          try {
            problem = deliveryScope.runInAsyncScope(() => deliverNow(d));
            if (problem) delivered--;
          } finally {
            resolve(problem);
          }
        });
      });
    },
  };
  const deliverNow = (d: Delivery): Divergence | undefined => {
      const id = `${d.key}#${d.occurrence}`;
      switch (d.kind) {
        case 'timer': {
          const vt = d.timer !== undefined ? timers.find(d.key, d.timer) : timers.pending().find((t) => t.key === d.key);
          if (!vt) return undelivered(d, `the program has no ${d.key} timer pending`);
          timers.fire(vt);
          return undefined;
        }
        case 'response':
          return outbound.deliver(d.key, d.occurrence) ? undefined : undelivered(d, `the program has not sent that request${outbound.pending().length ? ` (waiting: ${outbound.pending().join(', ')})` : ''}`);
        case 'error':
          return outbound.deliverError(d.key, d.occurrence) ? undefined : undelivered(d, 'the program has no such request going');
        case 'body':
          return outbound.deliverChunk(d.key, d.occurrence, d.chunk ?? 1) ? undefined : undelivered(d, 'that response was never delivered');
        case 'request': {
          const request = inbound.get(id);
          if (!request) return undelivered(d, 'the recording has no such inbound request');
          return net.inject(id, request) ? undefined : undelivered(d, `the program is not listening${request.port ? ` on port ${request.port}` : ''}`);
        }
        case 'abort':
          return net.abort(id) ? undefined : undelivered(d, 'that request was never delivered');
        case 'signal':
          process.kill(process.pid, d.key);
          return undefined;
        default:
          return undelivered(d, 'unknown delivery kind');
      }
  };

  // Nothing of the replay is kept but what the comparison needs: drop buffered events now and then.
  session.own(() => setInterval(() => session.flush(), 500).unref());
  // The scheduler is looptape's own work: its immediates and promises are not the program's.
  session.own(() => realSetImmediate(() => {
    started = realNow();
    void runSchedule(deliveries, world, quiescence).then((problem) => {
      if (problem) return stop(problem);
      // A recording cut short (SIGKILL) has no end to wait for; nor does a program that keeps running.
      if (!complete) {
        finish();
        process.exit(0);
      }
      realSetTimeout(() => {
        finish();
        process.exit(0);
      }, 2000).unref();
    });
  }));
}

/**
 * Makes a stream look to the program as it did when recording: console.log colours numbers
 * and strings only on a terminal, so output replayed into a pipe would otherwise differ.
 */
function lookLike(stream: NodeJS.WriteStream, recorded: StreamLook): void {
  Object.defineProperty(stream, 'isTTY', { value: recorded.isTTY, configurable: true, writable: true });
  stream.getColorDepth = () => recorded.colorDepth;
  stream.hasColors = ((count = 16) => recorded.isTTY && 2 ** recorded.colorDepth >= (typeof count === 'number' ? count : 16)) as typeof stream.hasColors;
  if (recorded.columns !== undefined) Object.defineProperty(stream, 'columns', { value: recorded.columns, configurable: true, writable: true });
}

function undelivered(d: Delivery, why = 'the program ended first'): Divergence {
  return { code: 'UNDELIVERABLE', message: `cannot deliver ${deliveryId(d)} (recorded at ${d.t.toFixed(1)} ms): ${why}`, expected: { kind: d.kind, what: deliveryId(d) } };
}

/** The program ended waiting for answers no delivery gave it (a schedule that left them out). */
function leftWaiting(pending: string[]): Divergence | undefined {
  if (pending.length === 0) return undefined;
  return { code: 'UNDELIVERABLE', message: `the program ended waiting for ${pending.length === 1 ? 'an answer' : `${pending.length} answers`} the schedule never delivered: ${pending.join(', ')}` };
}

function merge(reported: Divergence[]): Divergence | undefined {
  const unrecorded = reported.find((d) => d.code === 'UNRECORDED_REQUEST');
  const compared = reported.find((d) => d.code === 'DIVERGENCE' && d.actual?.kind === 'http.request');
  if (unrecorded && compared) return { ...unrecorded, actual: compared.actual, expected: compared.expected, taskPath: compared.taskPath, location: compared.location };
  return reported[0];
}

function sameOrder(a: readonly Delivery[], b: readonly Delivery[]): boolean {
  return a.length === b.length && a.every((d, i) => deliveryId(d) === deliveryId(b[i]));
}

/** What the program did, as ReplayResult wants it. */
class Outcome {
  exitCode: number | null = null;
  written = false;
  private readonly requests = new Map<number, { method: string; url: string }>();
  private readonly responses: ReplayResult['responses'] = [];
  private readonly errors: ReplayResult['errors'] = [];
  private stdout = '';
  private stderr = '';

  observe(e: LoopEvent): void {
    if (e.kind === 'http.request' && e.direction === 'in') this.requests.set(e.exchange, { method: e.method, url: e.url });
    else if (e.kind === 'http.response' && e.direction === 'in') {
      const request = this.requests.get(e.exchange);
      this.responses.push({ method: request?.method ?? '?', url: request?.url ?? '?', status: e.status, body: e.body });
    } else if (e.kind === 'console') this[e.stream] += e.text;
    else if (e.kind === 'error.uncaught' || e.kind === 'error.unhandled-rejection') this.errors.push({ kind: e.kind, name: e.name, message: e.message });
    else if (e.kind === 'process.exit') this.exitCode = e.code;
  }

  write(file: string, fields: Omit<ReplayResult, 'responses' | 'stdout' | 'stderr' | 'errors'>): void {
    this.written = true;
    const result: ReplayResult = { ...fields, responses: this.responses, stdout: this.stdout, stderr: this.stderr, errors: this.errors };
    fs.writeFileSync(file, JSON.stringify(result));
  }
}
