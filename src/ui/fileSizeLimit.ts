/**
 * Files the user picks are measured before they are read: reading a multi-gigabyte file into a
 * string to find out that it is too large would freeze or crash the tab. Every file input that reads
 * a whole file as text goes through this check.
 */
export function fileTooLargeMessage(file: { name: string; size: number }, limitBytes: number, what: string): string | null {
  if (file.size <= limitBytes) return null;
  return `${file.name}: ${file.size.toLocaleString('en-US')} bytes is too large for ${what} (limit ${formatBytes(limitBytes)})`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
