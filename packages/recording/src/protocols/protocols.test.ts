import { describe, expect, it } from 'vitest';
import { describeChunk, questionLabel, redactSentChunk, sniffProtocol, statementKey } from './index.js';

/** A PostgreSQL frontend message: type, then its length and body. */
function pgMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function startup(fields: Record<string, string>): Buffer {
  const body = Buffer.from(`${Object.entries(fields).map(([k, v]) => `${k}\0${v}\0`).join('')}\0`);
  const out = Buffer.alloc(8);
  out.writeInt32BE(body.length + 8, 0);
  out.writeInt32BE(196608, 4);
  return Buffer.concat([out, body]);
}

function bind(params: string[]): Buffer {
  const parts = [Buffer.from('\0\0'), Buffer.from([0, 0]), Buffer.alloc(2)];
  parts[2].writeInt16BE(params.length);
  for (const p of params) {
    const len = Buffer.alloc(4);
    len.writeInt32BE(Buffer.byteLength(p));
    parts.push(len, Buffer.from(p));
  }
  parts.push(Buffer.from([0, 0]));
  return pgMessage('B', Buffer.concat(parts));
}

const resp = (...args: string[]) => Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);

describe('protocols', () => {
  it('tells Redis and PostgreSQL apart by the first bytes the program writes', () => {
    expect(sniffProtocol(resp('PING'))).toBe('redis');
    expect(sniffProtocol(startup({ user: 'app' }))).toBe('pg');
    expect(sniffProtocol(Buffer.from('HELO mail\r\n'))).toBe('tcp');
  });

  it('shows Redis commands and replies as people write them', () => {
    expect(describeChunk(resp('SET', 'session:abc', '{"user":"ada"}', 'EX', '60'), 'sent')).toBe('SET session:abc "{\\"user\\":\\"ada\\"}" EX 60');
    expect(describeChunk(Buffer.from('+OK\r\n$-1\r\n:3\r\n-ERR wrong\r\n'), 'read')).toBe('OK; nil; 3; (error) ERR wrong');
    expect(describeChunk(Buffer.from('*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n'), 'read')).toBe('[message, news, hi]');
    expect(describeChunk(Buffer.from('$10\r\nhel'), 'read')).toBe('(+8 bytes)');
  });

  it('shows PostgreSQL queries with their parameters, and results folded into rows', () => {
    const parse = pgMessage('P', Buffer.from('\0SELECT * FROM t WHERE id = $1\0\0\0'));
    expect(describeChunk(Buffer.concat([parse, bind(['42', 'ada'])]), 'sent')).toBe('Parse "SELECT * FROM t WHERE id = $1"; Bind [42, "ada"]');
    expect(describeChunk(startup({ user: 'app', database: 'shop' }), 'sent')).toBe('Startup user=app database=shop');
    const row = (v: string) => {
      const b = Buffer.alloc(6 + v.length);
      b.writeInt16BE(1, 0);
      b.writeInt32BE(v.length, 2);
      b.write(v, 6);
      return pgMessage('D', b);
    };
    const reply = Buffer.concat([row('1'), row('2'), pgMessage('C', Buffer.from('SELECT 2\0')), pgMessage('Z', Buffer.from('I'))]);
    expect(describeChunk(reply, 'read')).toBe('2 rows [1]; SELECT 2; ready');
    const error = pgMessage('E', Buffer.from('SERROR\0VERROR\0C42P01\0Mrelation "x" does not exist\0\0'));
    expect(describeChunk(error, 'read')).toBe('ERROR 42P01 relation "x" does not exist');
  });

  it('names the question a chunk answers, and keys statements without their values', () => {
    const parse = pgMessage('P', Buffer.from('\0SELECT 1 WHERE $1\0\0\0'));
    expect(questionLabel([parse, bind(['7']), pgMessage('S', Buffer.alloc(0))])).toBe('pg "SELECT 1 WHERE $1" [7]');
    expect(questionLabel([resp('GET', 'k')])).toBe('redis GET k');
    expect(statementKey(bind(['1']))).toBe(statementKey(bind(['2'])));
    expect(statementKey(resp('GET', 'a'))).toBe('GET');
  });

  it('replaces Redis AUTH arguments and PostgreSQL password messages, keeping the framing', () => {
    const placeholder = (secret: string) => `<${secret.length}>`;
    const auth = redactSentChunk(Buffer.concat([resp('AUTH', 'default', 'hunter22'), resp('PING')]), placeholder);
    expect(auth.toString()).toBe(`${resp('AUTH', '<7>', '<8>')}${resp('PING')}`);
    expect(redactSentChunk(resp('HELLO', '3', 'AUTH', 'u', 'pw123456'), placeholder).toString()).toBe(resp('HELLO', '3', 'AUTH', '<1>', '<8>').toString());
    const clear = redactSentChunk(pgMessage('p', Buffer.from('hunter22\0')), placeholder);
    expect(clear.equals(pgMessage('p', Buffer.from('<8>\0')))).toBe(true);
    const scram = redactSentChunk(pgMessage('p', Buffer.from('c=biws,r=abc,p=proof')), placeholder);
    expect(scram.equals(pgMessage('p', Buffer.from('<redacted:password>\0')))).toBe(true);
    const plain = resp('GET', 'k');
    expect(redactSentChunk(plain, placeholder)).toBe(plain);
  });
});
