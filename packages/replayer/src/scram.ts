import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { splitPg } from '@looptape/recording';

const SASL_CONTINUE = 11;
const SASL_FINAL = 12;

/**
 * PostgreSQL's SCRAM authentication, replayed with a redacted password. The client checks the
 * server's final signature, which the server computed from the real password; in replay the
 * program holds a placeholder instead (its environment comes from the redacted recording), so
 * the recorded signature would not match. The program's own proof says which password it
 * used: the candidate that yields the same proof signs the server's final message again, as a
 * server knowing that password would. When none does (the program has the real password in
 * its code), the recorded message is right as it is.
 */
export class ScramReplay {
  private clientFirstBare: string | undefined;
  private serverFirst: string | undefined;
  private clientFinal: string | undefined;

  constructor(private readonly candidates: readonly string[]) {}

  /** Notes the SASL messages among what the program wrote. */
  sent(bytes: Buffer): void {
    for (const m of splitPg(bytes).messages) {
      if (m.type !== 'p') continue;
      const mechanismEnd = m.body.indexOf(0);
      if (m.body.toString('latin1', 0, mechanismEnd).startsWith('SCRAM-')) {
        // SASLInitialResponse: mechanism, length, then `n,,n=*,r=NONCE` (the GS2 header before the bare part).
        const first = m.body.toString('utf8', mechanismEnd + 5);
        this.clientFirstBare = first.replace(/^[^,]*,[^,]*,/, '');
      } else this.clientFinal = m.body.toString('utf8');
    }
  }

  /** The chunk the program reads next: the server's final message signed for the program's password. */
  read(bytes: Buffer): Buffer {
    let out = bytes;
    for (const m of splitPg(bytes).messages) {
      if (m.type !== 'R' || m.body.length < 4) continue;
      const code = m.body.readInt32BE(0);
      if (code === SASL_CONTINUE) this.serverFirst = m.body.toString('utf8', 4);
      if (code !== SASL_FINAL) continue;
      const signature = this.signature();
      if (!signature) continue;
      const body = Buffer.from(`v=${signature}`);
      if (body.length !== m.body.length - 4) continue;
      out = Buffer.from(out);
      body.copy(out, m.at + 9);
    }
    return out;
  }

  private signature(): string | undefined {
    if (!this.clientFirstBare || !this.serverFirst || !this.clientFinal) return undefined;
    const server = Object.fromEntries(this.serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
    const proofAt = this.clientFinal.lastIndexOf(',p=');
    if (!server.s || !server.i || proofAt < 0) return undefined;
    const proof = this.clientFinal.slice(proofAt + 3);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${this.clientFinal.slice(0, proofAt)}`;
    for (const password of this.candidates) {
      const salted = pbkdf2Sync(password, Buffer.from(server.s, 'base64'), Number(server.i), 32, 'sha256');
      const clientKey = hmac(salted, 'Client Key');
      const clientSignature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
      const candidateProof = Buffer.from(clientKey.map((b, i) => b ^ clientSignature[i])).toString('base64');
      if (candidateProof === proof) return hmac(hmac(salted, 'Server Key'), authMessage).toString('base64');
    }
    return undefined;
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** The placeholders a redacted recording holds: what a replayed program may use as a password. */
export function placeholdersIn(events: readonly unknown[]): string[] {
  const found = new Set<string>();
  for (const e of events) for (const m of JSON.stringify(e).matchAll(/<redacted:[^>"\\]+>/g)) found.add(m[0]);
  return [...found];
}
