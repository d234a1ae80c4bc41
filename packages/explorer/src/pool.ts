/**
 * Runs `task(i)` for the given indices, at most `jobs` at a time, in index order, and stops
 * starting new ones once `stop(i, result)` says so. Resolves the results by index. Every index
 * below a stopping one has been started, so "the lowest index that stops" does not depend on
 * `jobs`: the same seeds give the same answer with one job or many.
 */
export async function inOrder<R>(indices: readonly number[], jobs: number, task: (i: number) => Promise<R>, stop: (i: number, result: R) => boolean): Promise<Map<number, R>> {
  const results = new Map<number, R>();
  let next = 0;
  let stopAt = Infinity;
  const worker = async () => {
    while (next < indices.length && indices[next] < stopAt) {
      const i = indices[next++];
      const result = await task(i);
      results.set(i, result);
      if (stop(i, result)) stopAt = Math.min(stopAt, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}
