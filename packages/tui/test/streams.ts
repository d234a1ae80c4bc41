import { EventEmitter } from 'node:events';

/** A terminal's output side: records what is written, has a size, says it is a TTY. */
export class FakeTtyOut extends EventEmitter {
  isTTY = true;
  written = '';
  writes = 0;
  constructor(public columns = 80, public rows = 24) {
    super();
  }
  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    this.written += String(chunk);
    this.writes++;
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    this.emit('written');
    return true;
  }
}

/** A terminal's input side in raw mode: `press` delivers keys as a terminal would. */
export class FakeTtyIn extends EventEmitter {
  isTTY = true;
  private queue: string[] = [];
  setRawMode() {
    return this;
  }
  setEncoding() {
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  press(key: string): void {
    this.queue.push(key);
    this.emit('readable');
  }
}
