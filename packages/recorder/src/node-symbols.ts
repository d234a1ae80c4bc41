/** Node's internal symbols by their description, found once on the first object that has one. */
const found = new Map<string, symbol>();

/**
 * The value Node keeps on `object` under its internal symbol `description` (a Timeout's
 * `asyncId`, a zlib handle's `owner_symbol`). Looked up by name on the first object only: the
 * recorder asks on every timer set.
 */
export function internalValue<T>(object: object, description: string): T | undefined {
  let symbol = found.get(description);
  if (symbol === undefined || !(symbol in object)) {
    symbol = Object.getOwnPropertySymbols(object).find((s) => s.description === description);
    if (symbol === undefined) return undefined;
    found.set(description, symbol);
  }
  return (object as Record<symbol, T>)[symbol];
}
