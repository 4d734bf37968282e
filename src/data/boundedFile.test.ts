/**
 * Audit finding: files are stat'ed and read at most up to their limit (+1 byte), so /dev/zero, a
 * named pipe or a huge sparse file is refused without being read.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/tempDir';
import { readBoundedFile } from './boundedFile';

const dir = tempDir('autoclip-bounded');

describe('readBoundedFile', () => {
  it('reads a regular file up to exactly the limit', async () => {
    const p = join(dir, 'ten.txt');
    writeFileSync(p, '0123456789');
    expect(await readBoundedFile(p, 10)).toEqual({ ok: true, bytes: new TextEncoder().encode('0123456789') });
    expect(await readBoundedFile(p, 9)).toEqual({ ok: false, problem: 'too-large', detail: 'too large', size: 10 });
  });

  it('refuses /dev/zero, a named pipe and a directory without reading them', async () => {
    expect(await readBoundedFile('/dev/zero', 1024)).toMatchObject({
      ok: false,
      problem: 'not-regular',
      detail: 'it is a character device, not a regular file',
    });
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await readBoundedFile(fifo, 1024)).toMatchObject({
      ok: false,
      problem: 'not-regular',
      detail: 'it is a named pipe, not a regular file',
    });
    expect(await readBoundedFile(dir, 1024)).toMatchObject({ ok: false, problem: 'directory', detail: 'it is a directory' });
    expect(await readBoundedFile(join(dir, 'missing'), 1024)).toMatchObject({ ok: false, problem: 'missing', detail: 'no such file' });
  });

  it('refuses a 64 GiB sparse file by its size', async () => {
    const p = join(dir, 'sparse.bin');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 64 * 2 ** 30);
    closeSync(fd);
    expect(await readBoundedFile(p, 2 ** 20)).toEqual({ ok: false, problem: 'too-large', detail: 'too large', size: 64 * 2 ** 30 });
  });
});
