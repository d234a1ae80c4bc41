import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** @looptape/vitest and every workspace package it needs, transitively. */
const PACKAGES = ['recording', 'recorder', 'replayer', 'analysis', 'explorer', 'vitest'];
const VITEST = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.vitest;

let project: string;

/** Runs a command to its end; its output and exit code. */
function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { code: number | null; output: string } {
  const child = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: 'utf8', timeout: 200_000 });
  return { code: child.status, output: `${child.stdout}${child.stderr}${child.error ? String(child.error) : ''}` };
}

/** The outer vitest's variables would make the inner one think it is a worker. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST'));
  return { ...env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
}

function packAll(into: string): Record<string, string> {
  const tarballs: Record<string, string> = {};
  for (const name of PACKAGES) {
    const packed = run(['pnpm', 'pack', '--pack-destination', into], path.join(ROOT, 'packages', name));
    expect(packed.code, packed.output).toBe(0);
    const tarball = fs.readdirSync(into).find((f) => f.startsWith(`looptape-${name}-`));
    expect(tarball, `the tarball of @looptape/${name}`).toBeDefined();
    tarballs[`@looptape/${name}`] = `file:tarballs/${tarball}`;
  }
  return tarballs;
}

function testFile(server: 'server.mjs' | 'server.fixed.mjs'): string {
  const tape = path.join(ROOT, 'recordings/examples/price-race.found.tape');
  const command = ['node', path.join(ROOT, 'examples/price-race', server)];
  return `import { replayRecording } from '@looptape/vitest';
import { test, expect } from 'vitest';

test('the quote stays fixed', async () => {
  const run = await replayRecording(${JSON.stringify(tape)}, { command: ${JSON.stringify(command)}, cwd: ${JSON.stringify(ROOT)}, until: 'differs' });
  expect(run).not.toTrip();
});
`;
}

describe('@looptape/vitest installed from its tarball in a fresh project', () => {
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-vitest-project-'));
    const tarballs = packAll(path.join(project, 'tarballs'));
    const { '@looptape/vitest': helper, ...transitive } = tarballs;
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({
      name: 'looptape-vitest-user', private: true, type: 'module',
      devDependencies: { '@looptape/vitest': helper, vitest: VITEST },
      // pnpm pack turned workspace:* into 0.1.0, which no registry has: point them at the tarballs.
      overrides: transitive,
    }, null, 2));
    // --ignore-scripts: better-sqlite3 would compile from source (~2 minutes); the workspace's
    // build of the same version is copied in instead, below.
    const installed = run(['npm', 'install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], project, cleanEnv());
    expect(installed.code, installed.output).toBe(0);
    copyBetterSqlite(project);
  }, 240_000);

  it('installs the packed packages, not links into the workspace', () => {
    for (const name of PACKAGES) {
      const installed = path.join(project, 'node_modules/@looptape', name);
      expect(fs.lstatSync(installed).isSymbolicLink(), `@looptape/${name} is a link`).toBe(false);
    }
    const explorer = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/@looptape/explorer/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(explorer.dependencies['@looptape/replayer']).toBe('0.1.0');
  });

  afterAll(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('runs vitest green on the fixed server', () => {
    fs.writeFileSync(path.join(project, 'quote.test.ts'), testFile('server.fixed.mjs'));
    const green = run(['npx', 'vitest', 'run'], project, cleanEnv());
    expect(green.output).toMatch(/1 passed/);
    expect(green.code, green.output).toBe(0);
  }, 120_000);

  it('runs vitest red on the buggy server, naming what differed', () => {
    fs.writeFileSync(path.join(project, 'quote.test.ts'), testFile('server.mjs'));
    const red = run(['npx', 'vitest', 'run'], project, cleanEnv());
    expect(red.code, red.output).toBe(1);
    expect(red.output).toContain('the quote stays fixed');
    expect(red.output).toMatch(/not to trip differs, but differs tripped: GET \/\S+ answered .* instead of /);
  }, 120_000);
});

function copyBetterSqlite(into: string): void {
  const store = path.join(ROOT, 'node_modules/.pnpm');
  const version = (JSON.parse(fs.readFileSync(path.join(into, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
  // The build for this Node's ABI: where .ci/node-version puts one per version, else pnpm's own.
  const workspace = path.join(store, `better-sqlite3@${version}`, 'node_modules/better-sqlite3');
  const built = [`lib/binding/node-v${process.versions.modules}-${process.platform}-${process.arch}/better_sqlite3.node`, 'build/Release/better_sqlite3.node']
    .map((p) => path.join(workspace, p))
    .find((p) => fs.existsSync(p));
  expect(built, `the workspace's build of better-sqlite3 ${version} for Node ${process.version}`).toBeDefined();
  const release = path.join(into, 'node_modules/better-sqlite3/build/Release');
  fs.mkdirSync(release, { recursive: true });
  fs.copyFileSync(built!, path.join(release, 'better_sqlite3.node'));
}
