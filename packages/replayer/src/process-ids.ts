import type { RecordingMeta } from '@looptape/recording';
import type { Patches } from '@looptape/recorder/capture';

/**
 * Gives the program the process ids it had when recorded: loggers print them (Fastify's pino
 * writes `pid` in every line), so replay's output would otherwise differ from the recording's.
 * `process.kill` of the recorded pid still reaches this process, never another one that now
 * has that id.
 */
export function lookLikeRecordedProcess(recorded: RecordingMeta['process'], patches: Patches): void {
  if (!recorded) return;
  const realPid = process.pid;
  for (const [name, value] of [['pid', recorded.pid], ['ppid', recorded.ppid]] as const) {
    // A getter: `ppid` is a native accessor of Node's, which a plain value put over it does not hide.
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    Object.defineProperty(process, name, { get: () => value, configurable: true, enumerable: true });
    patches.add(() => {
      if (descriptor) Object.defineProperty(process, name, descriptor);
    });
  }
  patches.replace(process, 'kill', (kill) => ((pid: number, signal?: string | number) => kill(pid === recorded.pid ? realPid : pid, signal)) as typeof process.kill);
}
