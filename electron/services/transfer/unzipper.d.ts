/** The part of unzipper 0.12 the xlsx reader uses: a zip read through its central directory, by random access. */
declare module 'unzipper' {
  import type { Readable } from 'node:stream';

  export interface CentralDirectoryFile {
    readonly path: string;
    readonly type: 'File' | 'Directory';
    stream(password?: string): Readable;
  }

  export interface CentralDirectory {
    readonly files: CentralDirectoryFile[];
  }

  /** Bytes by position: `stream(offset, length)` reads `length` bytes from `offset`, or to the end. */
  export interface RandomAccessSource {
    size(): Promise<number>;
    stream(offset: number, length?: number): Readable;
  }

  export const Open: { custom(source: RandomAccessSource): Promise<CentralDirectory> };
}
