// Opens an input file as a stream of decoded text, whatever its packaging: plain or gzip (by magic bytes, not by
// name). Refuses what it cannot read with a message a user can act on.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { EngineError } from '../engine/errors';

export interface TextSource {
  /** Decoded text chunks. */
  chunks: AsyncIterable<string>;
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead(): number;
  totalBytes: number;
  compressed: boolean;
}

const PEEK = 4096;

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, PEEK);
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32)) ctrl++;
  }
  return n > 0 && ctrl / n > 0.1;
}

export async function openTextSource(path: string, name: string): Promise<TextSource> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(path);
  } catch {
    throw new EngineError('not-found', `${name}: file not found (${path})`);
  }
  if (stat.isDirectory()) throw new EngineError('bad-file', `${name} is a folder, not a file`);
  if (stat.size === 0) throw new EngineError('bad-file', `${name} is empty`);
  const fh = await fs.promises.open(path, 'r');
  const head = Buffer.alloc(Math.min(PEEK, stat.size));
  await fh.read(head, 0, head.length, 0);
  await fh.close();

  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) {
    if (head.subarray(0, 4).toString('latin1') === 'PAR1') {
      throw new EngineError('bad-file', `${name} is a Parquet file; this version of Meterbook reads FOCUS CSV and CSV.gz`);
    }
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) {
      throw new EngineError('bad-file', `${name} is a ZIP archive; unpack it and import the CSV inside`);
    }
    if (looksBinary(head)) throw new EngineError('bad-file', `${name} is a binary file, not CSV text`);
  }

  const raw = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  let read = 0;
  raw.on('data', (b) => {
    read += b.length;
  });
  const stream = gzip ? raw.pipe(zlib.createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gzip) raw.on('error', (e) => stream.destroy(e));

  async function* decode(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8');
    let asciiSoFar = true;
    let first = true;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (first) {
          first = false;
          if (gzip && looksBinary(chunk.subarray(0, PEEK))) {
            throw new EngineError('bad-file', `${name} holds binary data inside gzip, not CSV text`);
          }
        }
        // Pure-ASCII chunks (most billing files) skip UTF-8 decoding. Only while the decoder holds no partial
        // character from an earlier chunk, which can only happen after a non-ASCII chunk.
        const text = asciiSoFar && isAscii(chunk) ? chunk.toString('latin1') : ((asciiSoFar = false), decoder.decode(chunk, { stream: true }));
        if (text.length > 0) yield text;
      }
    } catch (e) {
      if (e instanceof EngineError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (gzip && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end|incorrect header/i.test(String(e)))) {
        throw new EngineError('bad-file', `${name}: the gzip data is truncated or corrupt (${(e as Error).message})`);
      }
      throw new EngineError('bad-file', `${name}: cannot be read (${(e as Error).message})`);
    } finally {
      raw.destroy();
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  }

  return { chunks: decode(), bytesRead: () => read, totalBytes: stat.size, compressed: gzip };
}
