import type { Nondet } from '@looptape/recording';
import { decodeNondet, type Draw } from '@looptape/recorder/capture';

const TIME_SOURCES = new Set(['Date.now', 'new Date', 'performance.now', 'performance.timeOrigin', 'performance.eventLoopUtilization', 'process.hrtime', 'process.hrtime.bigint']);

/**
 * Hands the program the recorded value of each draw, per source in recorded order. In strict
 * replay every reading is taped; under another schedule, time readings come from the virtual
 * clock instead (the order changed, so the recorded times no longer fit). A source whose tape
 * ran out draws for real (strict replay reports it as a divergence).
 */
export function tapeDraw(recorded: readonly Nondet[], strict: boolean, virtualEpochMs: () => number = Date.now, drawn: (t: number) => void = () => {}): Draw {
  const tapes = new Map<string, Nondet[]>();
  for (const e of recorded) {
    const tape = tapes.get(e.source) ?? [];
    tape.push(e);
    tapes.set(e.source, tape);
  }
  const cursors = new Map<string, number>();
  return (source, real) => {
    if (!strict && TIME_SOURCES.has(source)) return source === 'Date.now' || source === 'new Date' ? virtualEpochMs() : real();
    const tape = tapes.get(source);
    const i = cursors.get(source) ?? 0;
    if (!tape || i >= tape.length) return real();
    cursors.set(source, i + 1);
    drawn(tape[i].t);
    return decodeNondet(source, tape[i].value);
  };
}
