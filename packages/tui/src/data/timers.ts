import type { LoopEvent, TimerSet } from '@looptape/recording';
import type { EventSource } from './event-pages.js';

/** Timers by the asyncId of their Timeout/Immediate: where they were set and when cleared. */
export class TimerIndex {
  private readonly setByResource = new Map<number, TimerSet>();
  private readonly clearByResource = new Map<number, { seq: number; t: number }>();

  constructor(events: Iterable<LoopEvent>) {
    const resourceByTimer = new Map<number, number>();
    for (const e of events) {
      if (e.kind === 'timer.set' && e.resource !== undefined) {
        this.setByResource.set(e.resource, e);
        resourceByTimer.set(e.timer, e.resource);
      } else if (e.kind === 'timer.clear') {
        const resource = resourceByTimer.get(e.timer);
        if (resource !== undefined && !this.clearByResource.has(resource)) this.clearByResource.set(resource, { seq: e.seq, t: e.t });
      }
    }
  }

  static load(source: EventSource): TimerIndex {
    return new TimerIndex(source.events({ kinds: ['timer.set', 'timer.clear'] }));
  }

  /** The timer.set event whose Timeout/Immediate is this task. */
  set(task: number): TimerSet | undefined {
    return this.setByResource.get(task);
  }

  /** When the program cleared this task's timer, if it did. */
  cleared(task: number): { seq: number; t: number } | undefined {
    return this.clearByResource.get(task);
  }
}
