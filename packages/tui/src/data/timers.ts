import type { LoopEvent, TimerSet } from '@looptape/recording';
import type { EventSource } from './event-pages.js';

interface Timers {
  setByResource: Map<number, TimerSet>;
  clearByResource: Map<number, { seq: number; t: number }>;
}

/**
 * Timers by the asyncId of their Timeout/Immediate: where they were set and when cleared.
 * Read on first use: only task states need it, and the first frame shows none.
 */
export class TimerIndex {
  private timers: Timers | undefined;

  private constructor(private readonly read: () => Iterable<LoopEvent>) {}

  static load(source: EventSource): TimerIndex {
    return new TimerIndex(() => source.events({ kinds: ['timer.set', 'timer.clear'] }));
  }

  /** The timer.set event whose Timeout/Immediate is this task. */
  set(task: number): TimerSet | undefined {
    return this.index().setByResource.get(task);
  }

  /** When the program cleared this task's timer, if it did. */
  cleared(task: number): { seq: number; t: number } | undefined {
    return this.index().clearByResource.get(task);
  }

  private index(): Timers {
    if (this.timers) return this.timers;
    const timers: Timers = { setByResource: new Map(), clearByResource: new Map() };
    const resourceByTimer = new Map<number, number>();
    for (const e of this.read()) {
      if (e.kind === 'timer.set' && e.resource !== undefined) {
        timers.setByResource.set(e.resource, e);
        resourceByTimer.set(e.timer, e.resource);
      } else if (e.kind === 'timer.clear') {
        const resource = resourceByTimer.get(e.timer);
        if (resource !== undefined && !timers.clearByResource.has(resource)) timers.clearByResource.set(resource, { seq: e.seq, t: e.t });
      }
    }
    return (this.timers = timers);
  }
}
