import { Parser } from 'tar';

/** Unpacks a `.tar.gz` in memory: path → content of every regular file. Rejects a bad archive. */
export function unpackTarGz(archive: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) {
      reject(new Error('archive is not gzip-compressed'));
      return;
    }
    const files = new Map<string, Buffer>();
    const parser = new Parser({
      strict: true,
      onReadEntry(entry) {
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => {
          if (entry.type === 'File') files.set(entry.path.replace(/^(\.\/)+/, ''), Buffer.concat(chunks));
        });
      },
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(files));
    parser.end(archive);
  });
}
