import type { Patches } from './patches.js';
import type { Session } from './session.js';

export interface ProgramEnd {
  code: number | null;
  signal: string | null;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Observes how the program ends — exit, crash, unhandled rejection, signal — without
 * changing it: a program that would crash still crashes, with the same exit code, and a
 * signal the program does not handle still ends it (re-raised after the recording closes).
 * `active` says what still held the process at its exit (in replay: the virtual world's view).
 */
export function installLifecycle(session: Session, patches: Patches, close: (end: ProgramEnd) => void, active: () => string[] = () => process.getActiveResourcesInfo()): void {
  let ended = false;
  const end = (info: ProgramEnd) => {
    if (ended) return;
    ended = true;
    close(info);
  };

  const onExit = (code: number) => {
    session.emit({ kind: 'process.active', ...session.here(), resources: active() });
    session.emit({ kind: 'process.exit', ...session.here(), code });
    end({ code, signal: null });
  };

  const onUncaught = (error: unknown, origin: string) => {
    const e = describe(error);
    const at = { ...session.here(), ...(error !== null && typeof error === 'object' ? session.escapedFrom.get(error) : undefined) };
    if (origin === 'unhandledRejection') session.emit({ kind: 'error.unhandled-rejection', ...at, ...e });
    else session.emit({ kind: 'error.uncaught', ...at, ...e });
    session.flush();
  };
  process.on('uncaughtExceptionMonitor', onUncaught);
  patches.add(() => process.off('uncaughtExceptionMonitor', onUncaught));

  // A program with its own 'unhandledRejection' handler does not crash: see the rejection as it
  // passes. And 'exit': the recording closes after the program's own exit handlers have run
  // (what they print is recorded too), whenever they were added.
  patches.replace(process, 'emit', (original) => function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]) {
    if (event === 'unhandledRejection' && process.listenerCount('unhandledRejection') > 0) {
      session.emit({ kind: 'error.unhandled-rejection', ...session.here(), ...describe(args[0]), handled: true });
    }
    if (event !== 'exit') return (original as (...a: unknown[]) => boolean).call(this, event, ...args);
    try {
      return (original as (...a: unknown[]) => boolean).call(this, event, ...args);
    } finally {
      onExit(process.exitCode !== undefined && process.exitCode !== null ? Number(process.exitCode) : Number(args[0] ?? 0));
    }
  } as typeof process.emit);

  for (const signal of SIGNALS) {
    const onSignal = () => {
      session.emit({ kind: 'process.signal', ...session.here(), signal });
      if (process.listenerCount(signal) > 1) return; // the program handles it
      end({ code: null, signal });
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
    patches.add(() => process.off(signal, onSignal));
  }
}

function describe(error: unknown): { name: string; message: string; stack: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? '' };
  return { name: typeof error, message: String(error), stack: '' };
}
