import { afterEach, describe, expect, it, vi } from 'vitest';

// Colour is decided when Ink's chalk loads: force it on for this file, before any import,
// so that the difference NO_COLOR makes can show.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { cleanup } = await import('ink-testing-library');
const { renderCheckout } = await import('../../test/render.js');

/** An SGR colour: foreground 30-38, bright 90-97. Bold (1) and inverse (7) are not colours. */
const COLOUR = /\u001B\[(3[0-8]|9[0-7])[;m]/;

afterEach(() => cleanup());

describe('colour', () => {
  it('colours the screen by default', () => {
    expect(renderCheckout({ env: {} }).frame()).toMatch(COLOUR);
  });

  it('writes no colour codes when NO_COLOR is set', () => {
    expect(renderCheckout({ env: { NO_COLOR: '1' } }).frame()).not.toMatch(COLOUR);
  });

  it('ignores an empty NO_COLOR, as the convention says', () => {
    expect(renderCheckout({ env: { NO_COLOR: '' } }).frame()).toMatch(COLOUR);
  });
});
