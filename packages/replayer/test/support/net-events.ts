// Reading raw-connection events back for the database tests.
import fs from 'node:fs';
import { decodeBody, type LoopEvent } from '@looptape/recording';
import { looptape } from './cli.js';

/** `looptape events FILE --kind net.* …` as its printed lines (the decoded commands and replies). */
export async function netLines(file: string): Promise<string[]> {
  const r = await looptape(['events', file, '--kind', 'net.connect', '--kind', 'net.write', '--kind', 'net.data', '--kind', 'net.close', '--kind', 'net.error']);
  if (r.code !== 0) throw new Error(`events ${file} exited ${r.code}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * Where a secret still stands in a recording: in the file's bytes as text, or inside a chunk
 * stored as base64 (raw connections' binary chunks). Empty when it is nowhere.
 */
export function secretFound(file: string, secret: string, evs: readonly LoopEvent[]): string[] {
  const found: string[] = [];
  const bytes = fs.readFileSync(file);
  if (bytes.includes(secret)) found.push('the file bytes');
  if (bytes.includes(Buffer.from(secret).toString('base64').slice(0, 8))) found.push('the file bytes, as base64');
  for (const e of evs) {
    if ((e.kind === 'net.write' || e.kind === 'net.data') && decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding }).includes(secret)) found.push(`${e.kind} #${e.seq}`);
  }
  return found;
}
