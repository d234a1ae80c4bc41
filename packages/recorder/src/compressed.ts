import zlib from 'node:zlib';
import { decodeBody, headerValue, type Headers } from '@looptape/recording';

type Codec = { decode: (b: Buffer) => Buffer; encode: (b: Buffer) => Buffer };

const CODECS: Record<string, Codec> = {
  gzip: { decode: zlib.gunzipSync, encode: zlib.gzipSync },
  'x-gzip': { decode: zlib.gunzipSync, encode: zlib.gzipSync },
  deflate: { decode: zlib.inflateSync, encode: zlib.deflateSync },
  br: { decode: zlib.brotliDecompressSync, encode: zlib.brotliCompressSync },
};

interface StoredBody {
  body: string;
  bodyEncoding?: 'utf8' | 'base64';
  bodyDecoded?: boolean;
  headers: Headers;
}

/**
 * A body stored compressed (raw bytes of an http.request response with content-encoding),
 * as text to search for secrets; undefined when it is not compressed or does not decode.
 */
export function compressedText(e: StoredBody): string | undefined {
  const codec = codecOf(e);
  if (!codec) return undefined;
  try {
    return codec.decode(decodeBody(e)).toString('latin1');
  } catch {
    return undefined;
  }
}

/** The same body compressed again after redaction, base64 as stored. */
export function recompress(e: StoredBody, text: string): string {
  return codecOf(e)!.encode(Buffer.from(text, 'latin1')).toString('base64');
}

function codecOf(e: StoredBody): Codec | undefined {
  if (e.bodyEncoding !== 'base64' || e.bodyDecoded) return undefined;
  return CODECS[headerValue(e.headers, 'content-encoding')?.toLowerCase() ?? ''];
}
