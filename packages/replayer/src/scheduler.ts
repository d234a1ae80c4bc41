import type { Divergence } from './divergence.js';
import type { Quiescence } from './quiescence.js';
import type { Delivery } from './schedule.js';
import type { DeliverySource } from './source.js';

/** What the scheduler needs from the replayed world. */
export interface Deliverer {
  /** Moves the virtual clock for this delivery. */
  advance(d: Delivery): void;
  /** Hands the program one delivery; a divergence when it cannot (the program is not where the recording was). */
  deliver(d: Delivery): Promise<Divergence | undefined>;
  stopped(): boolean;
}

/**
 * Walks the deliveries: waits until the program is quiet, then makes the next one — so the
 * order of deliveries, not the machine's speed, decides what the program sees.
 */
export async function runSchedule(source: DeliverySource, world: Deliverer, quiescence: Quiescence): Promise<Divergence | undefined> {
  for (;;) {
    await quiescence.wait();
    if (world.stopped()) return undefined;
    const d = source.next();
    if (!d) break;
    world.advance(d);
    const problem = await world.deliver(d);
    if (problem) return problem;
    source.delivered(d);
  }
  await quiescence.wait();
  return undefined;
}
