// Reads and writes files through one of Node's file APIs (argv[2]: sync, callback, promise or
// stream), in a data folder (argv[3], default ./data), and prints what it read back. Used by the
// end-to-end tests of file capture: every call here is recorded, and replayed from the recording.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const api = process.argv[2] ?? 'sync';
const dir = path.resolve(process.argv[3] ?? 'data');
const input = path.join(dir, 'input.txt');
const out = path.join(dir, 'out');
const file = (name) => path.join(out, name);

const cb = {
  readFile: promisify(fs.readFile), writeFile: promisify(fs.writeFile), appendFile: promisify(fs.appendFile), rename: promisify(fs.rename),
  unlink: promisify(fs.unlink), mkdir: promisify(fs.mkdir), rm: promisify(fs.rm), stat: promisify(fs.stat), readdir: promisify(fs.readdir),
};
const sync = {
  readFile: async (...a) => fs.readFileSync(...a), writeFile: async (...a) => fs.writeFileSync(...a), appendFile: async (...a) => fs.appendFileSync(...a),
  rename: async (...a) => fs.renameSync(...a), unlink: async (...a) => fs.unlinkSync(...a), mkdir: async (...a) => fs.mkdirSync(...a),
  rm: async (...a) => fs.rmSync(...a), stat: async (...a) => fs.statSync(...a), readdir: async (...a) => fs.readdirSync(...a),
};
const streams = {
  ...fsp,
  readFile: (name, encoding) => new Promise((resolve, reject) => {
    const parts = [];
    fs.createReadStream(name).on('data', (c) => parts.push(c)).on('error', reject).on('end', () => resolve(encoding ? Buffer.concat(parts).toString(encoding) : Buffer.concat(parts)));
  }),
  writeFile: (name, data) => new Promise((resolve, reject) => {
    const w = fs.createWriteStream(name);
    w.on('error', reject).on('close', resolve);
    w.write(data.slice(0, 3));
    w.end(data.slice(3));
  }),
  appendFile: (name, data) => new Promise((resolve, reject) => {
    const w = fs.createWriteStream(name, { flags: 'a' });
    w.on('error', reject).on('close', resolve);
    w.end(data);
  }),
};
const io = { sync, callback: cb, promise: fsp, stream: streams }[api];
if (!io) {
  console.error(`unknown api ${api}: sync, callback, promise or stream`);
  process.exit(2);
}

const text = await io.readFile(input, 'utf8');
console.log(`read input.txt: ${JSON.stringify(text)}`);
console.log(`input.txt is ${(await io.stat(input)).size} bytes, exists: ${fs.existsSync(input)}`);
await io.mkdir(out, { recursive: true });
await io.writeFile(file('copy.txt'), text.toUpperCase());
await io.appendFile(file('copy.txt'), `\nseen at ${new Date(Date.now()).toISOString()}\n`);
await io.rename(file('copy.txt'), file('final.txt'));
await io.writeFile(file('scratch.txt'), 'scratch');
await io.unlink(file('scratch.txt'));
console.log(`out holds: ${(await io.readdir(out)).sort().join(', ')}`);
console.log(`final.txt: ${JSON.stringify(await io.readFile(file('final.txt'), 'utf8'))}`);
console.log(`missing.txt exists: ${fs.existsSync(file('missing.txt'))}`);
await io.rm(out, { recursive: true, force: true });
