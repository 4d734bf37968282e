import { describe, expect, it } from 'vitest';
import { fileTooLargeMessage } from './fileSizeLimit';

describe('fileTooLargeMessage', () => {
  it('accepts a file at the limit and names file, size and limit one byte over it', () => {
    expect(fileTooLargeMessage({ name: 'a.json', size: 1024 }, 1024, 'a run config')).toBeNull();
    expect(fileTooLargeMessage({ name: 'a.json', size: 1025 }, 1024, 'a run config')).toBe(
      'a.json: 1,025 bytes is too large for a run config (limit 1 KiB)',
    );
    expect(fileTooLargeMessage({ name: 'runs.json', size: 65 * 2 ** 20 }, 64 * 2 ** 20, 'a runs file')).toBe(
      'runs.json: 68,157,440 bytes is too large for a runs file (limit 64 MiB)',
    );
  });
});
