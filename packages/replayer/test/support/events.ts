// Builds recorded event streams by hand, for the replayer's unit tests.
import type { LoopEvent } from '@looptape/recording';

type Fields<K extends LoopEvent['kind']> = Omit<Extract<LoopEvent, { kind: K }>, 'seq' | 't' | 'task' | 'scope' | 'process' | 'kind'> &
  Partial<Pick<LoopEvent, 't' | 'task' | 'scope'>>;

/** A stream under construction: each event gets the next seq, and the current time unless it says its own. */
export class Stream {
  readonly events: LoopEvent[] = [];
  private now = 0;

  /** Moves the clock to `t` ms. */
  at(t: number): this {
    this.now = t;
    return this;
  }

  add<K extends LoopEvent['kind']>(kind: K, fields: Fields<K>): this {
    const e = { t: this.now, task: 0, scope: null, process: 0, ...fields, kind, seq: this.events.length + 1 } as unknown as LoopEvent;
    this.events.push(e);
    return this;
  }

  setTimeout(timer: number, delay: number, extra: Partial<Fields<'timer.set'>> = {}): this {
    return this.add('timer.set', { timer, api: 'setTimeout', delay, repeat: false, ...extra });
  }

  setInterval(timer: number, delay: number): this {
    return this.add('timer.set', { timer, api: 'setInterval', delay, repeat: true });
  }

  fire(timer: number): this {
    return this.add('timer.fire', { timer });
  }

  out(exchange: number, method: string, url: string, body = ''): this {
    return this.add('http.request', { exchange, direction: 'out', method, url, headers: {}, body });
  }

  in(exchange: number, method: string, url: string, body = ''): this {
    return this.add('http.request', { exchange, direction: 'in', method, url, headers: {}, body });
  }

  response(exchange: number, direction: 'in' | 'out', status = 200, body = ''): this {
    return this.add('http.response', { exchange, direction, status, headers: {}, body });
  }
}

export const stream = () => new Stream();
