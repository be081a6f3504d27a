import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export type ZipEntry = yauzl.Entry;

/**
 * A zip opened for random access with yauzl, which reads the central directory (zip64 included)
 * and validates entry names; entries are found by name and read in whatever order the reader needs.
 */
export class ZipFile {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(file: string): Promise<ZipFile> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, opened) => (error ? reject(error) : resolve(opened))),
    );
    const entries = new Map<string, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        // Part names are case-insensitive in the Open Packaging Conventions.
        entries.set(entry.fileName.toLowerCase(), entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    return new ZipFile(zip, entries);
  }

  entry(name: string): yauzl.Entry | undefined {
    return this.entries.get(name.replace(/^\//, '').toLowerCase());
  }

  stream(entry: yauzl.Entry): Promise<Readable> {
    return new Promise((resolve, reject) => this.zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
  }

  close(): void {
    this.zip.close();
  }
}
