// Types of bin/compiledCli.mjs (plain JavaScript: it runs before TypeScript can be compiled).
export declare const BUILD_DIR: string;
export declare const ENTRY_FILE: string;
export declare const MANIFEST_FILE: string;
export declare const MANIFEST_VERSION: number;
export interface SourceRecord {
  file: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}
export declare function fileHash(path: string): string;
export declare function sourceRecord(root: string, file: string): SourceRecord;
export declare function compiledCli(root: string): { entry: string } | { stale: string };
