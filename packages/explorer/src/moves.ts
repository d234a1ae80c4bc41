import { deliveryId, type Delivery } from '@looptape/replayer';

/** One difference between a found order and the recorded one: `moved` went just before `before`. */
export interface Move {
  moved: Delivery;
  /** The recorded delivery it overtook first, or undefined when it came last. */
  before: Delivery | undefined;
}

const idOf = (d: Delivery) => `${d.fault ? `${d.fault} ` : ''}${deliveryId(d)}`;

/**
 * The moves that turn the recorded order into the found one: each delivery that overtook a
 * delivery recorded before it (or that the recording never had: a fault, an extra timer),
 * placed before the first recorded delivery it overtook.
 */
export function movesBetween(recorded: readonly Delivery[], found: readonly Delivery[]): Move[] {
  const position = new Map(recorded.map((d, i) => [idOf(d), i]));
  const moves: Move[] = [];
  for (let i = 0; i < found.length; i++) {
    const d = found[i];
    const at = position.get(idOf(d));
    // The first later-found delivery that was recorded before this one.
    let before: Delivery | undefined;
    for (let j = i + 1; j < found.length; j++) {
      const p = position.get(idOf(found[j]));
      if (p !== undefined && (at === undefined || p < at)) {
        if (!before || p < position.get(idOf(before))!) before = found[j];
      }
    }
    if (at === undefined || before) moves.push({ moved: d, before });
  }
  return moves;
}

/** The recorded order with only these moves made: the order a shrinking run follows. */
export function applyMoves(recorded: readonly Delivery[], moves: readonly Move[]): Delivery[] {
  const movedIds = new Set(moves.map((m) => idOf(m.moved)));
  const order = recorded.filter((d) => !movedIds.has(idOf(d)));
  for (const m of moves) {
    const at = m.before ? order.findIndex((d) => idOf(d) === idOf(m.before!)) : -1;
    if (at === -1) order.push(m.moved);
    else order.splice(at, 0, m.moved);
  }
  return order;
}

/**
 * Delta debugging (Zeller's ddmin) over the moves: a smallest subset for which `fails` still
 * holds, each move in it needed. `fails` runs a replay, so the number of calls matters.
 */
export async function ddmin<T>(items: readonly T[], fails: (subset: T[]) => Promise<boolean>): Promise<T[]> {
  let current = [...items];
  let n = 2;
  while (current.length >= 2) {
    const size = Math.ceil(current.length / n);
    const parts = Array.from({ length: Math.ceil(current.length / size) }, (_, i) => current.slice(i * size, (i + 1) * size));
    let next = await first(parts, fails);
    if (next) n = 2;
    else if (parts.length > 2) {
      // With two parts, each complement is the other part: already tried.
      next = await first(parts.map((p) => current.filter((x) => !p.includes(x))), fails);
      if (next) n = Math.max(n - 1, 2);
    }
    if (next) current = next;
    else if (n >= current.length) break;
    else n = Math.min(current.length, n * 2);
  }
  return current;
}

async function first<T>(candidates: T[][], fails: (subset: T[]) => Promise<boolean>): Promise<T[] | undefined> {
  for (const c of candidates) if (await fails(c)) return c;
  return undefined;
}
