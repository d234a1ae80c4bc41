/**
 * Mistakes in what is asked of export and view get one line on stderr and exit 2, never a
 * stack trace, and never touch an existing file: no FILE, a missing file, a file that is not
 * a recording, no or an unknown --format, an --out that exists (without --force), or whose
 * folder does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOUND as RECORDING, lines, looptape, sha256, useTempDir, type Finished } from './support.js';

const dir = useTempDir();

function expectOneLine(run: Finished, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(lines(run.err), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^looptape: /);
  expect(run.err).toMatch(pattern);
  expect(run.err).not.toContain('    at ');
  expect(run.out).toBe('');
}

describe('looptape export', () => {
  it('says FILE is missing', async () => {
    expectOneLine(await looptape(['export', '--format', 'har']), /missing FILE/);
  });

  it('says a file does not exist', async () => {
    expectOneLine(await looptape(['export', path.join(dir(), 'nope.tape'), '--format', 'har']), /nope\.tape/);
  });

  it('says a text file is not a recording', async () => {
    const text = path.join(dir(), 'notes.txt');
    fs.writeFileSync(text, 'not a recording\n');
    expectOneLine(await looptape(['export', text, '--format', 'chrome-trace']), /notes\.txt/);
    expect(fs.readFileSync(text, 'utf8')).toBe('not a recording\n');
  });

  it('asks for --format, and names the formats for an unknown one', async () => {
    expectOneLine(await looptape(['export', RECORDING]), /missing --format \(one of: har, chrome-trace, perfetto\)/);
    expectOneLine(await looptape(['export', RECORDING, '--format', 'pcap']), /unknown format 'pcap' \(one of: har, chrome-trace, perfetto\)/);
  });

  it('never replaces an existing --out without --force, and replaces it with --force', async () => {
    const out = path.join(dir(), 'kept.har');
    fs.writeFileSync(out, 'mine');
    const before = sha256(out);
    expectOneLine(await looptape(['export', RECORDING, '--format', 'har', '--out', out]), /kept\.har already exists \(pass --force/);
    expect(sha256(out)).toBe(before);
    const forced = await looptape(['export', RECORDING, '--format', 'har', '--out', out, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).log.version).toBe('1.2');
  });

  it('says when the folder of --out does not exist', async () => {
    expectOneLine(await looptape(['export', RECORDING, '--format', 'har', '--out', path.join(dir(), 'no/such/folder/x.har')]), /the folder of .*x\.har does not exist/);
  });

  it('says when --out cannot be written, and leaves no file there', async () => {
    // /proc takes no new files, even from root.
    expectOneLine(await looptape(['export', RECORDING, '--format', 'perfetto', '--out', '/proc/looptape-export.perfetto-trace']), /cannot write \/proc\/looptape-export\.perfetto-trace: E[A-Z]+ \(open\) \(choose another --out\)/);
    expect(fs.readdirSync('/proc').filter((f) => f.includes('looptape-export'))).toEqual([]);
  });

  it('writes to stdout without --out, so it can be piped', async () => {
    const run = await looptape(['export', RECORDING, '--format', 'chrome-trace']);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out).traceEvents.length).toBeGreaterThan(0);
  });
});

describe('looptape view', () => {
  it('says a file does not exist, and writes no page', async () => {
    const missing = path.join(dir(), 'gone.tape');
    expectOneLine(await looptape(['view', missing]), /gone\.tape/);
    expect(fs.existsSync(path.join(dir(), 'gone.html'))).toBe(false);
  });

  it('never replaces an existing page without --force', async () => {
    const copy = path.join(dir(), 'copy.tape');
    fs.copyFileSync(RECORDING, copy);
    const page = path.join(dir(), 'copy.html');
    fs.writeFileSync(page, '<p>my notes</p>');
    expectOneLine(await looptape(['view', copy]), /copy\.html already exists \(pass --force/);
    expect(fs.readFileSync(page, 'utf8')).toBe('<p>my notes</p>');
    const forced = await looptape(['view', copy, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(fs.readFileSync(page, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('writes FILE.html beside the recording, FILE taken from where `pnpm looptape` was called', async () => {
    const sub = path.join(dir(), 'sub');
    fs.mkdirSync(sub);
    fs.copyFileSync(RECORDING, path.join(sub, 'here.tape'));
    const run = await looptape(['view', 'here.tape'], { env: { npm_lifecycle_event: 'looptape', INIT_CWD: sub } });
    expect(run.code, run.err).toBe(0);
    expect(run.err).toBe('looptape: wrote here.html\n');
    expect(fs.readFileSync(path.join(sub, 'here.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('refuses an unknown flag', async () => {
    expectOneLine(await looptape(['view', RECORDING, '--format', 'svg']), /Unknown option '--format'/);
  });
});
