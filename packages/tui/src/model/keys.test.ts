import { describe, expect, it } from 'vitest';
import { keyToAction, splitKeys } from './keys.js';

const normal = { help: false, searching: false };

describe('keyToAction', () => {
  it('steps in time with h/l and the left/right arrows', () => {
    expect(keyToAction('l', {}, normal)).toEqual({ type: 'step', by: 1 });
    expect(keyToAction('', { rightArrow: true }, normal)).toEqual({ type: 'step', by: 1 });
    expect(keyToAction('h', {}, normal)).toEqual({ type: 'step', by: -1 });
    expect(keyToAction('', { leftArrow: true }, normal)).toEqual({ type: 'step', by: -1 });
  });

  it('moves in the pane with j/k and the up/down arrows', () => {
    expect(keyToAction('j', {}, normal)).toEqual({ type: 'move', by: 1 });
    expect(keyToAction('', { upArrow: true }, normal)).toEqual({ type: 'move', by: -1 });
  });

  it('seeks forward with a lower-case key and back with its capital', () => {
    expect(keyToAction('d', {}, normal)).toEqual({ type: 'seek', target: 'delivery', dir: 1 });
    expect(keyToAction('F', { shift: true }, normal)).toEqual({ type: 'seek', target: 'finding', dir: -1 });
    expect(keyToAction('n', {}, normal)).toEqual({ type: 'seek', target: 'match', dir: 1 });
    expect(keyToAction('E', { shift: true }, normal)).toEqual({ type: 'seek', target: 'error', dir: -1 });
  });

  it('cycles panes with tab and shift-tab', () => {
    expect(keyToAction('', { tab: true }, normal)).toEqual({ type: 'focus-cycle', by: 1 });
    expect(keyToAction('', { tab: true, shift: true }, normal)).toEqual({ type: 'focus-cycle', by: -1 });
  });

  it('quits with q and with ctrl-c, even in search', () => {
    expect(keyToAction('q', {}, normal)).toEqual({ type: 'quit' });
    expect(keyToAction('c', { ctrl: true }, { help: false, searching: true })).toEqual({ type: 'quit' });
  });

  it('types into the search instead of acting while searching', () => {
    const searching = { help: false, searching: true };
    expect(keyToAction('q', {}, searching)).toEqual({ type: 'search-type', text: 'q' });
    expect(keyToAction('', { return: true }, searching)).toEqual({ type: 'search-commit' });
    expect(keyToAction('', { escape: true }, searching)).toEqual({ type: 'search-cancel' });
    expect(keyToAction('', { backspace: true }, searching)).toEqual({ type: 'search-erase' });
  });

  it('closes the help with ? or esc and ignores other keys there', () => {
    const help = { help: true, searching: false };
    expect(keyToAction('?', {}, help)).toEqual({ type: 'close-help' });
    expect(keyToAction('', { escape: true }, help)).toEqual({ type: 'close-help' });
    expect(keyToAction('l', {}, help)).toBeNull();
  });

  it('ignores keys it does not know', () => {
    expect(keyToAction('z', {}, normal)).toBeNull();
    expect(keyToAction('x', { ctrl: true }, normal)).toBeNull();
  });
});

describe('splitKeys', () => {
  it('splits keys that arrived together into one key each', () => {
    expect(splitKeys('jjG', {})).toEqual([['j', { shift: false }], ['j', { shift: false }], ['G', { shift: true }]]);
  });

  it('recognises tab, enter and backspace inside a burst', () => {
    expect(splitKeys('\t/a\r\x7f', {}).map(([ch, k]) => ch || Object.keys(k)[0])).toEqual(['tab', '/', 'a', 'return', 'backspace']);
  });

  it('leaves a single key as it is', () => {
    expect(splitKeys('', { upArrow: true })).toEqual([['', { upArrow: true }]]);
  });
});
