import type { StreamLook } from '@looptape/recording';
import type { Patches } from '@looptape/recorder/capture';

/**
 * Makes a stream look to the program as it did when recording: console.log colours numbers
 * and strings only on a terminal, so output replayed into a pipe would otherwise differ.
 */
export function lookLike(stream: NodeJS.WriteStream, recorded: StreamLook, patches: Patches): void {
  patches.replace(stream as unknown as Record<string, unknown>, 'isTTY', () => recorded.isTTY);
  patches.replace(stream, 'getColorDepth', () => () => recorded.colorDepth);
  patches.replace(stream, 'hasColors', () => ((count = 16) => recorded.isTTY && 2 ** recorded.colorDepth >= (typeof count === 'number' ? count : 16)) as typeof stream.hasColors);
  if (recorded.columns !== undefined) patches.replace(stream as unknown as Record<string, unknown>, 'columns', () => recorded.columns);
}

