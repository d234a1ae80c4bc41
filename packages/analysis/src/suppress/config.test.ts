import { describe, expect, it } from 'vitest';
import { globToRegExp } from './config.js';

describe('globToRegExp', () => {
  it('matches * within a folder, ** across folders, ? one character', () => {
    expect(globToRegExp('src/*.mjs').test('src/app.mjs')).toBe(true);
    expect(globToRegExp('src/*.mjs').test('src/jobs/app.mjs')).toBe(false);
    expect(globToRegExp('src/**/*.mjs').test('src/app.mjs')).toBe(true);
    expect(globToRegExp('src/**/*.mjs').test('src/a/b/app.mjs')).toBe(true);
    expect(globToRegExp('src/**').test('src/a/b.mjs')).toBe(true);
    expect(globToRegExp('app?.mjs').test('app1.mjs')).toBe(true);
    expect(globToRegExp('app.mjs').test('appXmjs')).toBe(false);
  });
});
