import { AsyncResource } from 'node:async_hooks';
import FakeTimers from '@sinonjs/fake-timers';
import { RecordingReader, type HttpListen, type LoopEvent, type Nondet, type ProcessActive, type RecordingMeta, RICH_KINDS, isDelivery } from '@looptape/recording';
import {
  counter, FileContents, installAbortTimeout, installConsole, installSocketTimeouts, installFileCapture, installHttpIn, installHttpOut, installLifecycle, installNetClients, installNondet, installTaskHooks, installTaskStacks, installTimers,
  installUnsupported, Patches, Redactor, Session, DEFAULT_REDACTED, type ProgramEnd,
} from '@looptape/recorder/capture';
import { Comparator } from './comparator.js';
import { FileAnswers } from './files/answers.js';
import { FileOverlay } from './files/overlay.js';
import { RecordedFiles } from './files/recorded-files.js';
import { installFileReplay } from './files/replay.js';
import { merge, undelivered, type Divergence } from './divergence.js';
import { Outcome } from './outcome.js';
import { RecordedWorld } from './recorded-world.js';
import { lookLikeRecordedProcess } from './process-ids.js';
import { lookLike } from './terminal.js';
import { Outbound } from './outbound.js';
import { Quiescence } from './quiescence.js';
import { Enabled } from './choose/enabled.js';
import type { ChooseOptions } from './choose/strategy.js';
import { openSave, type SaveOptions } from './save.js';
import { loadSchedule, recordedSchedule, deliveryId, type Delivery, type Fault } from './schedule.js';
import { runSchedule, type Deliverer } from './scheduler.js';
import { ChosenSource, listSource, type DeliverySource } from './source.js';
import { tapeDraw } from './tape.js';
import { installVirtualClock } from './virtual-clock.js';
import { VirtualNet } from './virtual-net.js';
import { VirtualSockets } from './virtual-sockets.js';
import { VirtualTimers } from './virtual-timers.js';

export interface ReplayOptions {
  /** The recording. */
  file: string;
  /** Another schedule to follow (a JSON file), instead of the recorded one. */
  schedule?: string;
  /** Where to write the ReplayResult as JSON when the program ends. */
  resultFile: string;
  /**
   * Choose each delivery among those enabled instead of following a list: explore (pct,
   * random) or follow an order where the program allows it (guided: shrinking, regression tests).
   */
  choose?: ChooseOptions;
  /** Faults exploration may inject. */
  faults?: Fault[];
  /**
   * Requests the recording has no answer for: `same` answers an identical request with its
   * nearest recorded occurrence (regression tests); `similar` also a request with the same
   * method and path, and leaves the recording quietly otherwise (exploration).
   */
  answers?: 'strict' | 'same' | 'similar';
  /** Write this run as a new recording. */
  save?: SaveOptions;
  /** Let the program read and write the real file system (recorded, compared, not served). */
  realFs?: boolean;
}

/**
 * A process that replays many runs one after another (host.ts) instead of one run and exit:
 * the run ends through it, not through process.exit.
 */
export interface Hosting {
  /** The run is over, with this exit code: the program's process would exit now. */
  end(code: number): void;
  /**
   * Ends the run as the program's process would end by itself ('beforeExit', 'exit') once the
   * program has nothing left to do (no timer, socket or file work of its own); calls
   * `otherwise` when it still has after `ms`.
   */
  exitWhenIdle(ms: number, otherwise: () => void): Promise<void>;
}

/** A replay started: the host begins the schedule once the program is loaded, and takes the world down after it. */
export interface Replay {
  begin(): void;
  restore(): void;
}

/** The recording's events the replay needs (everything but the task hooks). */
export function loadRecording(file: string): { events: LoopEvent[]; complete: boolean; startEpochMs: number; redacted: string[]; terminal?: RecordingMeta['terminal']; meta: RecordingMeta; files: RecordedFiles } {
  const reader = RecordingReader.open(file);
  try {
    const meta = reader.meta;
    const { complete, startEpochMs, redacted, terminal } = meta;
    const events = [...reader.events({ kinds: RICH_KINDS })];
    return { events, complete, startEpochMs, redacted, terminal, meta, files: RecordedFiles.load(reader, events) };
  } finally {
    reader.close();
  }
}

/**
 * Makes the recording this process's whole outside world, before the program loads:
 * virtual clock and timers, recorded answers to outbound requests, recorded inbound requests,
 * recorded values for every source of nondeterminism — then walks the schedule.
 */
export function startReplay(options: ReplayOptions, hosting?: Hosting): Replay {
  const realNow = performance.now.bind(performance);
  const realSetImmediate = setImmediate;
  const realSetTimeout = setTimeout;
  // Deliveries run in this scope: not looptape's own (the program's tasks must be recorded),
  // not inside the scheduler's resources (which are looptape's own and unrecorded).
  const deliveryScope = new AsyncResource('looptape.delivery');
  const { events, complete, startEpochMs, redacted, terminal, meta, files } = loadRecording(options.file);

  // The recording holds placeholders for secrets: the program's own events are redacted the
  // same way (same names, same order of first sight, so the same placeholders) before comparing.
  const redactor = new Redactor(redacted.filter((name) => !DEFAULT_REDACTED.includes(name)));
  const recorded = recordedSchedule(events);
  const deliveries = options.schedule ? loadSchedule(options.schedule).deliveries : recorded.deliveries;
  const chosen = options.choose !== undefined;
  const strict = !chosen && (!options.schedule || sameOrder(deliveries, recorded.deliveries));

  // Date stays Node's own (fake-timers' Date breaks `new Date().constructor === Date`): the
  // recorder's Date wrapper asks the tape, or under another schedule this clock, for each reading.
  // A clock that is not installed: installVirtualClock answers performance and hrtime from it.
  const clock = FakeTimers.withGlobal(globalThis).createClock(startEpochMs);
  const virtualNow = () => clock.now - startEpochMs;
  const overlay = options.realFs ? undefined : new FileOverlay(events, files, () => clock.now);
  const comparator = new Comparator(events, strict, { recorded: (hash) => files.bytes(hash), live: (hash) => overlay?.wrote(hash) });
  const fileAnswers = new FileAnswers(comparator, strict);
  const outcome = new Outcome();
  let stopped = false;
  let delivered = 0;
  let started = 0;
  let leftRecording: string | undefined;
  const executed: Delivery[] = [];
  const save = options.save ? openSave(options.save, meta, redactor) : undefined;
  const recordedTimes = strict && save !== undefined;

  // Reports that arrive together (the interceptor's "unrecorded request" and the comparator's
  // view of the same request, which knows its task path and source line) are merged.
  const reported: Divergence[] = [];
  const finish = (end: Partial<ProgramEnd> = {}) => {
    if (outcome.written) return;
    // Nothing more is delivered (in a replay host, the process goes on after the run).
    stopped = true;
    quiescence.stop();
    session.drainHeld();
    const divergence = merge(reported) ?? comparator.finish() ?? (!chosen && delivered < deliveries.length ? undelivered(deliveries[delivered]) : undefined) ?? (chosen ? undefined : recordedWorld.leftWaiting());
    session.own(() => outcome.write(options.resultFile, {
      ok: !divergence, divergence: divergence ?? null, exitCode: end.code ?? outcome.exitCode, virtualMs: virtualNow(),
      wallMs: started ? Math.round(realNow() - started) : 0, delivered, scheduled: chosen ? delivered : deliveries.length, strict, streamHash: comparator.streamHash(),
      schedule: executed, synthesized: outbound.synthesized, leftRecording: leftRecording ?? source.cutShort ?? null,
    }));
    if (save) session.own(() => save.close(session, end, virtualNow()));
  };
  // Ends the replay in a macrotask of its own (not inside the program's call that caused it).
  const exit = (code: number) => (hosting ? hosting.end(code) : process.exit(code));
  const endSoon = (code: number) => session.own(() => realSetImmediate(() => {
    stopped = true;
    finish();
    exit(code);
  }));
  const stop = (d: Divergence) => {
    reported.push(d);
    if (reported.length === 1) endSoon(1);
  };
  const session = new Session({
    sink: save?.sink ?? { write() {} },
    transform: save ? (batch) => redactor.apply(batch) : undefined,
    // A strict replay saved as a recording (a derived tree) gives its events the recording's
    // times: the virtual clock moves only at deliveries, the program's work between them took time.
    now: recordedTimes ? () => Math.max(virtualNow(), comparator.matchedT) : virtualNow,
    observe: (live) => {
      const e = structuredClone(live);
      redactor.apply([e]);
      outcome.observe(e);
      const d = comparator.observe(e);
      if (d) stop(d);
      // A matched event takes its recorded time (the virtual clock moves only at deliveries).
      else if (recordedTimes && comparator.matchedAt > live.t) {
        live.t = comparator.matchedAt;
        // Nothing after it may come earlier (the hooks reuse a reading until the session's moves on).
        if (session.lastT < live.t) session.lastT = live.t;
      }
      fileAnswers.release();
    },
  });

  // The install order. The capture installers come in the recorder's order (recorder.ts), so
  // that both write the same events the same way. Each piece of the virtual world is installed
  // just before the capture installer that records through it: a patch wraps whatever was there
  // when it was installed, so the capture's patch is the outer one, sees each call as the program
  // made it, and passes it on to the virtual world (Node's own when recording). Where a piece
  // is not a patch of its own, it is handed to its installer instead (the timers' clock, the
  // servers' listen). Only the orders said below matter; the rest are independent.
  const patches = new Patches();
  // The process looks as it did when recorded: its terminal, its pid.
  if (terminal) {
    lookLike(process.stdout, terminal.stdout, patches);
    lookLike(process.stderr, terminal.stderr, patches);
  }
  lookLikeRecordedProcess(meta.process, patches);
  // One numbering for inbound and outbound exchanges, as when recording: an id names one exchange.
  const exchangeIds = counter();
  // The program's end (exit, crash, signal) ends the run through `finish`. What held the process
  // when it exited: in strict replay the program ends where it did when recorded, so the recorded
  // answer (its handles were sockets and timers replay only imitates).
  const recordedActive = events.filter((e): e is ProcessActive => e.kind === 'process.active').pop();
  installLifecycle(session, patches, finish, () => (strict && recordedActive ? recordedActive.resources : process.getActiveResourcesInfo()));
  installConsole(session, patches);
  installUnsupported(session, patches);
  // The clock before the draws: under another schedule a draw asks the function it replaced, the virtual clock.
  installVirtualClock(patches, virtualNow, startEpochMs);
  installNondet(session, patches, tapeDraw(events.filter((e): e is Nondet => e.kind === 'nondet'), strict, () => clock.now, (t) => comparator.saw(t)));
  // Timeouts and intervals run on the virtual clock; immediates on Node's. AbortSignal.timeout
  // looks setTimeout up at each call, so it takes the patched one whatever the order.
  const timers = new VirtualTimers(session, virtualNow);
  installTimers(session, patches, { virtual: timers });
  installAbortTimeout(session, patches);
  installSocketTimeouts(session, patches);
  const leave = (why: string) => {
    leftRecording ??= why;
    endSoon(0);
  };
  const answers = options.answers ?? 'strict';
  const outbound = new Outbound(events, stop, (text) => redactor.text(text), { answer: answers, onLeave: answers === 'similar' ? leave : undefined });
  // The interceptors that answer from the recording before the recorder's fetch and http.request
  // wrappers: those see the program's request, the interceptors then answer it.
  outbound.install(patches);
  installHttpOut(session, patches, { next: exchangeIds });
  // The program's servers listen on the virtual net (installHttpIn patches listen, once).
  const net = new VirtualNet(events.filter((e): e is HttpListen => e.kind === 'http.listen'));
  net.install(patches);
  installHttpIn(session, patches, { next: exchangeIds }, (server, args) => net.listen(server, args));
  // Files: answered from the recording (and written to an overlay), or the real file system, recorded.
  if (overlay) installFileReplay(session, patches, overlay, fileAnswers.answerAt);
  else installFileCapture(session, patches, new FileContents(session, redactor, { maxBytes: 0, warn: () => {} }));
  // Installed before the recorder's tap, so that the tap sees the program's calls on the virtual socket.
  const sockets = new VirtualSockets(events, stop, answers === 'similar' ? leave : undefined);
  sockets.install(patches);
  installNetClients(session, patches);
  const quiescence = new Quiescence(() => session.seq);
  // In strict replay a file answer that came before the next delivery when recorded comes before it now.
  const deliverySeqs = strict ? events.filter(isDelivery).map((e) => e.seq) : [];
  quiescence.held = () => fileAnswers.releaseBefore(deliverySeqs[delivered] ?? Infinity);
  quiescence.install(patches);
  // Last, as in the recorder: what the installs above made for themselves was made before the
  // hooks were on, so it never enters the task tree.
  installTaskHooks(session, patches);
  // A saved run of a recording made with --stacks (a derived tree, explore's found run) says where tasks were made.
  if (save && meta.stacks) installTaskStacks(session, patches);

  const recordedWorld = new RecordedWorld(events, timers, outbound, net, sockets);
  const source: DeliverySource = options.choose
    ? new ChosenSource(
      new Enabled(events, recorded.deliveries, { outbound, timers, net, sockets, scopeName: (exchange) => outcome.requestName(exchange) }, options.faults ?? []),
      options.choose,
      recorded.deliveries.length * 4 + 200,
    )
    : listSource(deliveries);

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
    async deliver(d) {
      // Before the first request, the program may still be loading where no quiet point sees it.
      if (d.kind === 'request' && !d.fault) await session.own(() => recordedWorld.ready(d, 5000, (ms) => new Promise((r) => realSetTimeout(r, ms))));
      return new Promise((resolve) => {
        realSetImmediate(() => {
          // Counted before it runs: the program may end inside it (a crash the recording has too).
          delivered++;
          executed.push(d);
          let problem: Divergence | undefined;
          try {
            problem = deliveryScope.runInAsyncScope(() => recordedWorld.deliver(d));
            if (problem) {
              delivered--;
              executed.pop();
            }
          } finally {
            resolve(problem);
          }
        });
      });
    },
  };
  // Nothing of the replay is kept but what the comparison needs: drop buffered events now and then.
  const flushing = session.own(() => setInterval(() => session.flush(), 500).unref());
  patches.add(() => clearInterval(flushing));
  const end = (code: number) => {
    finish();
    exit(code);
  };
  // A program that does not end by itself once nothing is left to deliver keeps serving: it is not still working.
  const settle = chosen ? 300 : 2000;
  const afterSchedule = async () => {
    // A recording cut short (SIGKILL) has no end to wait for; nor does a program that keeps running.
    if (!complete || source.cutShort) return end(0);
    if (!hosting) {
      // Its process exits by itself when the program has nothing left to do (lifecycle's 'exit').
      realSetTimeout(() => end(0), settle).unref();
      return;
    }
    return hosting.exitWhenIdle(settle, () => end(0));
  };
  // The scheduler is looptape's own work: its immediates and promises are not the program's.
  const begin = () => session.own(() => realSetImmediate(() => {
    started = realNow();
    void runSchedule(source, world, quiescence).then((problem) => {
      fileAnswers.releaseAll();
      // Over already: the program exited (in a replay host, the process goes on).
      if (outcome.written) return;
      return problem ? stop(problem) : afterSchedule();
    });
  }));
  if (!hosting) begin();
  return { begin, restore: () => void patches.restoreAll() };
}

function sameOrder(a: readonly Delivery[], b: readonly Delivery[]): boolean {
  return a.length === b.length && a.every((d, i) => deliveryId(d) === deliveryId(b[i]));
}
