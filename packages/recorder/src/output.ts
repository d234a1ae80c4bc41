import type { Patches } from './patches.js';
import type { Session } from './session.js';

type Write = typeof process.stdout.write;

/** Records what the program writes to stdout and stderr; the bytes still go out unchanged. */
export function installConsole(session: Session, patches: Patches): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    patches.replace(stream, 'write', (original) => function (this: typeof stream, chunk: unknown, ...rest: unknown[]) {
      if (session.ownDepth === 0 && !session.closed) {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
        session.emit({ kind: 'console', ...session.here(), stream: name, text });
      }
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write);
  }
}
