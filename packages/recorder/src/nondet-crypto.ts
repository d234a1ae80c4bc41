import crypto from 'node:crypto';
import type { Take } from './nondet.js';
import type { Patches } from './patches.js';
import { callerInfo } from './stack.js';

/** crypto's sources of randomness: randomUUID, randomBytes, randomInt, randomFill[Sync], getRandomValues. */
export function patchCrypto(patches: Patches, take: Take): void {
  const webcrypto = globalThis.crypto as Crypto;
  const realRandomUUID = crypto.randomUUID;
  const randomUUID = () => take('crypto.randomUUID', randomUUID, () => realRandomUUID()) as string;
  patches.replace(crypto, 'randomUUID', () => randomUUID as typeof crypto.randomUUID);
  patches.replace(webcrypto, 'randomUUID', () => randomUUID as Crypto['randomUUID']);

  patches.replace(crypto, 'randomBytes', (original) => {
    const randomBytes = ((size: number, callback?: (error: Error | null, buf: Buffer) => void) => {
      if (typeof callback === 'function') {
        const caller = callerInfo(randomBytes, 1);
        return original(size, (error, buf) => {
          if (error) return callback(error, buf);
          const value = take('crypto.randomBytes', randomBytes, () => buf, caller) as Uint8Array;
          callback(null, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        });
      }
      const value = take('crypto.randomBytes', randomBytes, () => original(size)) as Uint8Array;
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }) as typeof crypto.randomBytes;
    return randomBytes;
  });

  patches.replace(crypto, 'randomInt', (original) => {
    const randomInt = ((...args: unknown[]) => {
      const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as (e: Error | null, n: number) => void) : undefined;
      const caller = callerInfo(randomInt, 1);
      const draw = (real: () => number) => take('crypto.randomInt', randomInt, real, caller) as number;
      if (!callback) return draw(() => (original as (...a: unknown[]) => number)(...args));
      return (original as (...a: unknown[]) => void)(...args, (error: Error | null, n: number) => (error ? callback(error, n) : callback(null, draw(() => n))));
    }) as typeof crypto.randomInt;
    return randomInt;
  });
  const fill = (bytes: Uint8Array, value: Uint8Array) => bytes.set(value.subarray(0, bytes.length));
  const view = (buffer: NodeJS.ArrayBufferView | ArrayBuffer) => (ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer));
  patches.replace(crypto, 'randomFillSync', (original) => {
    const randomFillSync = ((buffer: NodeJS.ArrayBufferView, ...rest: unknown[]) => {
      const bytes = view(buffer);
      fill(bytes, take('crypto.randomFillSync', randomFillSync, () => {
        (original as (...a: unknown[]) => unknown)(buffer, ...rest);
        return bytes.slice();
      }) as Uint8Array);
      return buffer;
    }) as typeof crypto.randomFillSync;
    return randomFillSync;
  });
  patches.replace(crypto, 'randomFill', (original) => {
    const randomFill = ((buffer: NodeJS.ArrayBufferView, ...rest: unknown[]) => {
      const callback = rest.pop() as (e: Error | null, b: NodeJS.ArrayBufferView) => void;
      const caller = callerInfo(randomFill, 1);
      return (original as (...a: unknown[]) => void)(buffer, ...rest, (error: Error | null, filled: NodeJS.ArrayBufferView) => {
        if (error) return callback(error, filled);
        const bytes = view(filled);
        fill(bytes, take('crypto.randomFill', randomFill, () => bytes.slice(), caller) as Uint8Array);
        callback(null, filled);
      });
    }) as typeof crypto.randomFill;
    return randomFill;
  });

  const realGetRandomValues = webcrypto.getRandomValues.bind(webcrypto);
  const getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
    if (!array) return realGetRandomValues(array as never);
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const value = take('crypto.getRandomValues', getRandomValues, () => {
      realGetRandomValues(array as never);
      return bytes.slice();
    }) as Uint8Array;
    bytes.set(value.subarray(0, bytes.length));
    return array;
  };
  patches.replace(webcrypto as unknown as Record<string, unknown>, 'getRandomValues', () => getRandomValues);
}
