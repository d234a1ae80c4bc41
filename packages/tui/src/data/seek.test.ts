import { isDelivery } from '@looptape/recording';
import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../../test/checkout.js';
import { checkout } from '../../test/setup.js';
import { RecordingBuilder } from '@looptape/test-support';
import { open, tempDir } from '../../test/tape.js';
import { DELIVERY_KINDS, ERROR_KINDS, isError, seek } from './seek.js';

describe('seek', () => {
  it('finds the next and the previous delivery', () => {
    const { reader, data } = checkout();
    const at = (from: number, dir: 1 | -1) => seek(reader, { from, dir, kinds: DELIVERY_KINDS, match: isDelivery, lastSeq: data.lastSeq })?.seq;
    expect(at(CHECKOUT.first, 1)).toBe(CHECKOUT.priceRequest);
    expect(at(CHECKOUT.stockRequest, 1)).toBe(CHECKOUT.stockResponse);
    expect(at(CHECKOUT.timerFire, -1)).toBe(CHECKOUT.stockResponse);
    expect(at(CHECKOUT.timerFire, 1)).toBeUndefined();
  });

  it('skips an outbound request, which the program makes itself', () => {
    const { reader, data } = checkout();
    const e = seek(reader, { from: CHECKOUT.checkoutRequest, dir: 1, kinds: DELIVERY_KINDS, match: isDelivery, lastSeq: data.lastSeq });
    expect(e?.seq).not.toBe(CHECKOUT.stockRequest);
  });

  it('finds an event far away through growing windows', () => {
    const b = new RecordingBuilder(`${tempDir()}/far.tape`);
    b.event({ kind: 'console', stream: 'stdout', text: 'start' });
    for (let i = 0; i < 30_000; i++) b.task(10 + i, 'PROMISE');
    b.event({ kind: 'error.uncaught', name: 'Error', message: 'late', stack: '' });
    const reader = open(b.close());
    const found = seek(reader, { from: 1, dir: 1, kinds: ERROR_KINDS, match: isError, lastSeq: reader.lastSeq(), firstWindow: 64 });
    expect(found).toMatchObject({ kind: 'error.uncaught', message: 'late' });
    const back = seek(reader, { from: reader.lastSeq(), dir: -1, kinds: ['console'], lastSeq: reader.lastSeq(), firstWindow: 64 });
    expect(back?.seq).toBe(1);
    reader.close();
  });

  it('counts 5xx responses and rejections as errors, a 200 not', () => {
    const base = { seq: 1, t: 0, task: 0, scope: null, process: 0, exchange: 1, direction: 'out' as const, headers: {}, body: '' };
    expect(isError({ ...base, kind: 'http.response', status: 503 })).toBe(true);
    expect(isError({ ...base, kind: 'http.response', status: 200 })).toBe(false);
    expect(isError({ ...base, kind: 'error.unhandled-rejection', name: 'Error', message: 'x', stack: '' })).toBe(true);
  });
});
