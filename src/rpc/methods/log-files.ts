// Reading log files for readLog / readProcess*Log (supervisord's readFile) and tailProcess*Log
// (supervisord's tailFile), without blocking the event loop.
import { open } from 'node:fs/promises';

export class LogReadError extends Error {
  override readonly name = 'LogReadError';
  constructor(readonly why: 'BAD_ARGUMENTS' | 'FAILED') {
    super(why);
  }
}

async function readRange(file: string, position: number | 'tail', length: number | 'rest'): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    let pos: number;
    let len: number;
    if (position === 'tail') {
      const n = length === 'rest' ? 0 : length;
      pos = Math.max(0, size - n);
      len = size - pos;
    } else {
      pos = position;
      len = length === 'rest' ? Math.max(0, size - pos) : Math.max(0, Math.min(length, size - pos));
    }
    if (len <= 0) return Buffer.alloc(0);
    const buf = Buffer.alloc(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await handle.read(buf, got, len - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

/**
 * offset ≥ 0, length = 0: offset..EOF; offset ≥ 0, length > 0: that slice; offset < 0, length = 0: the last
 * |offset| bytes; negative offset with a length, or a negative length: BAD_ARGUMENTS; IO errors: FAILED.
 */
export async function readLogFile(file: string, offset: number, length: number): Promise<string> {
  if (offset < 0 && length !== 0) throw new LogReadError('BAD_ARGUMENTS');
  if (offset >= 0 && length < 0) throw new LogReadError('BAD_ARGUMENTS');
  try {
    const data =
      offset < 0 ? await readRange(file, 'tail', -offset) : await readRange(file, offset, length === 0 ? 'rest' : length);
    return data.toString('utf8');
  } catch {
    throw new LogReadError('FAILED');
  }
}

/** supervisord's tailFile: [bytes, new offset (= file size), overflow]. */
export async function tailLogFile(file: string, offset: number, length: number): Promise<[string, number, boolean]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return ['', offset, false];
  }
  try {
    const size = (await handle.stat()).size;
    let overflow = false;
    let off = offset;
    let len = length;
    if (size > off + len) {
      overflow = true;
      off = size - 1;
    }
    if (off + len > size) {
      if (off > size - 1) len = 0;
      off = size - len;
    }
    if (off < 0) off = 0;
    if (len < 0) len = 0;
    let data = '';
    if (len > 0) {
      const buf = Buffer.alloc(len);
      const { bytesRead } = await handle.read(buf, 0, len, off);
      data = buf.subarray(0, bytesRead).toString('utf8');
    }
    return [data, size, overflow];
  } catch {
    return ['', offset, false];
  } finally {
    await handle.close();
  }
}
