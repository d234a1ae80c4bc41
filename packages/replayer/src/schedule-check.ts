import { ReplayError } from './errors.js';
import { deliveryId, type Schedule } from './schedule.js';

/**
 * A schedule read from a file, against the recording it is to replay: every delivery must be
 * one the recording has (kind, key, occurrence, chunk), once — but for a timer (a schedule may
 * fire one the recording saw cleared before it fired) and a fault (a delivery explore injects). Returns the recorded deliveries
 * the schedule leaves out — a replay then ends with the program still waiting for them.
 */
export function checkScheduleAgainst(given: Schedule, recorded: Schedule, file: string): string[] {
  const known = new Set(recorded.deliveries.map(deliveryId));
  const seen = new Set<string>();
  given.deliveries.forEach((d, i) => {
    const id = deliveryId(d);
    if (!known.has(id) && d.kind !== 'timer' && !d.fault) throw new ReplayError('BAD_SCHEDULE', `${file}: delivery ${i + 1} (${id}) is not in the recording`, 'keys and occurrences come from looptape replay FILE --print-schedule');
    if (seen.has(id)) throw new ReplayError('BAD_SCHEDULE', `${file}: delivery ${i + 1} (${id}) is listed twice`, 'each recorded delivery happens once');
    seen.add(id);
  });
  return recorded.deliveries.map(deliveryId).filter((id) => !seen.has(id));
}
