import { deliveryId, type Delivery } from '../schedule.js';
import { Rng } from './rng.js';

/** A delivery the program is ready to take now, at a quiet point. */
export interface Candidate {
  delivery: Delivery;
  /** deliveryId(delivery): the same delivery has the same id in every run. */
  id: string;
  /** When it would come: a timer's due time, else its recorded time (ms). */
  at: number;
}

/** Picks the next delivery among those enabled. */
export interface Strategy {
  /** The next delivery; undefined when none of the candidates may go (the run is over). */
  choose(candidates: readonly Candidate[], step: number): Candidate | undefined;
}

/** How a replay chooses its deliveries: plain data, passed to the replayed process. */
export type ChooseOptions =
  | { strategy: 'pct'; seed: number; depth: number; expectedSteps: number }
  | { strategy: 'random'; seed: number }
  | { strategy: 'guided'; order: Delivery[] };

export function makeStrategy(options: ChooseOptions): Strategy {
  switch (options.strategy) {
    case 'pct':
      return new Pct(options.seed, options.depth, options.expectedSteps);
    case 'random': {
      const rng = new Rng(options.seed);
      return { choose: (candidates) => rng.pick(candidates) };
    }
    case 'guided':
      return new Guided(options.order);
    default:
      return assertNever(options);
  }
}

/**
 * PCT (Burckhardt et al., ASPLOS 2010) over deliveries: each delivery gets a random priority
 * when it is first enabled, the highest enabled goes first, and at d−1 random steps the one
 * about to go is demoted below all others. A bug that needs d orderings to line up is found
 * in one run with probability at least 1/(n·k^(d−1)). Every firing of a timer is a delivery of
 * its own, with its own priority, so a repeating timer cannot starve the others.
 */
class Pct implements Strategy {
  private readonly rng: Rng;
  private readonly priority = new Map<string, number>();
  private readonly changePoints = new Map<number, number>();

  constructor(seed: number, depth: number, expectedSteps: number) {
    this.rng = new Rng(seed);
    const steps = Math.max(1, expectedSteps);
    for (let i = 1; i < depth; i++) this.changePoints.set(this.rng.int(0, steps - 1), (depth - i) / (depth + 1));
  }

  choose(candidates: readonly Candidate[], step: number): Candidate {
    for (const c of candidates) if (!this.priority.has(c.id)) this.priority.set(c.id, 1 + this.rng.float());
    const best = this.best(candidates);
    const lowered = this.changePoints.get(step);
    if (lowered === undefined || candidates.length < 2) return best;
    this.priority.set(best.id, lowered);
    return this.best(candidates);
  }

  private best(candidates: readonly Candidate[]): Candidate {
    return candidates.reduce((a, b) => (this.priority.get(b.id)! > this.priority.get(a.id)! ? b : a));
  }
}

/**
 * Follows an order where the program allows it: the enabled delivery that comes first in the
 * order goes first. A delivery the order does not list (a timer the code now sets, an answer
 * repeated for a request sent twice) goes where its time puts it among the listed ones.
 */
class Guided implements Strategy {
  private readonly index = new Map<string, number>();
  private readonly times: number[];

  constructor(order: readonly Delivery[]) {
    order.forEach((d, i) => {
      const id = candidateId(d);
      if (!this.index.has(id)) this.index.set(id, i);
    });
    this.times = order.map((d) => d.t);
  }

  choose(candidates: readonly Candidate[]): Candidate | undefined {
    // A fault happens only where the order has it: it is not something that comes by itself.
    const allowed = candidates.filter((c) => !c.delivery.fault || this.index.has(c.id));
    if (allowed.length === 0) return undefined;
    return allowed.reduce((a, b) => (this.rank(b) < this.rank(a) ? b : a));
  }

  private rank(c: Candidate): number {
    const listed = this.index.get(c.id);
    if (listed !== undefined) return listed;
    const after = this.times.findIndex((t) => t > c.at);
    return (after === -1 ? this.times.length : after) - 0.5;
  }
}

/** A delivery's identity among candidates: a fault is told apart from the delivery it imitates. */
export function candidateId(d: Delivery): string {
  return `${d.fault ? `${d.fault} ` : ''}${deliveryId(d)}`;
}

function assertNever(value: never): never {
  throw new Error(`unknown strategy ${JSON.stringify(value)}`);
}
