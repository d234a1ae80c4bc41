/** Undoes one patch. */
export type Restore = () => void;

/**
 * Every patch the recorder applies returns its restore function; teardown runs
 * them last-in-first-out and gathers failures instead of stopping at the first.
 */
export class Patches {
  private restores: Restore[] = [];

  add(restore: Restore): void {
    this.restores.push(restore);
  }

  /** Replaces `target[key]` and remembers how to put the original back. */
  replace<T extends object, K extends keyof T>(target: T, key: K, make: (original: T[K]) => T[K]): T[K] {
    const original = target[key];
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    const replacement = make(original);
    Object.defineProperty(target, key, { value: replacement, writable: true, configurable: true, enumerable: descriptor?.enumerable ?? true });
    this.add(() => {
      if (descriptor) Object.defineProperty(target, key, descriptor);
      else delete target[key];
    });
    return original;
  }

  restoreAll(): Error[] {
    const failures: Error[] = [];
    while (this.restores.length > 0) {
      try {
        this.restores.pop()!();
      } catch (error) {
        failures.push(error as Error);
      }
    }
    return failures;
  }
}
