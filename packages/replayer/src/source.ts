import { Enabled } from './choose/enabled.js';
import { makeStrategy, type ChooseOptions, type Strategy } from './choose/strategy.js';
import type { Delivery } from './schedule.js';

/** Where a replay's next delivery comes from, asked at each quiet point. */
export interface DeliverySource {
  /** The next delivery, or undefined when the run is over. */
  next(): Delivery | undefined;
  /** Called once a delivery was made. */
  delivered(d: Delivery): void;
  /** Why the source stopped before the program was done, if it did. */
  readonly cutShort?: string;
}

/** A fixed list: the recorded schedule, or one given with --schedule. */
export function listSource(deliveries: readonly Delivery[]): DeliverySource {
  let i = 0;
  return { next: () => deliveries[i++], delivered() {} };
}

/**
 * Chooses each delivery among those enabled now (exploration, shrinking, regression tests).
 * A run that keeps going (a timer that always re-arms) stops after `maxSteps` deliveries.
 */
export class ChosenSource implements DeliverySource {
  private readonly strategy: Strategy;
  private step = 0;
  cutShort: string | undefined;

  constructor(private readonly enabled: Enabled, options: ChooseOptions, private readonly maxSteps: number) {
    this.strategy = makeStrategy(options);
  }

  next(): Delivery | undefined {
    const candidates = this.enabled.candidates();
    if (candidates.length === 0) return undefined;
    if (this.step >= this.maxSteps) {
      this.cutShort = `stopped after ${this.maxSteps} deliveries`;
      return undefined;
    }
    return this.strategy.choose(candidates, this.step)?.delivery;
  }

  delivered(d: Delivery): void {
    this.step++;
    this.enabled.delivered(d);
  }
}
