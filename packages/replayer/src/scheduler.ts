import type { Divergence } from './divergence.js';
import type { Quiescence } from './quiescence.js';
import type { Delivery } from './schedule.js';

/** What the scheduler needs from the replayed world. */
export interface Deliverer {
  /** Moves the virtual clock for this delivery. */
  advance(d: Delivery): void;
  /** Hands the program one delivery; a divergence when it cannot (the program is not where the recording was). */
  deliver(d: Delivery): Promise<Divergence | undefined>;
  stopped(): boolean;
}

/**
 * Walks the schedule: waits until the program is quiet, then makes the next delivery —
 * so the order of deliveries, not the machine's speed, decides what the program sees.
 */
export async function runSchedule(deliveries: readonly Delivery[], world: Deliverer, quiescence: Quiescence): Promise<Divergence | undefined> {
  for (const d of deliveries) {
    await quiescence.wait();
    if (world.stopped()) return undefined;
    world.advance(d);
    const problem = await world.deliver(d);
    if (problem) return problem;
  }
  await quiescence.wait();
  return undefined;
}
