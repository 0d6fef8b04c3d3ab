import { gunzipSync } from 'node:zlib';
import { Parser } from 'tar';

/** An archive of an empty directory is only end-of-archive blocks, which node-tar calls "bad". */
function isEmptyTar(archive: Buffer): boolean {
  try {
    return gunzipSync(archive).every((byte) => byte === 0);
  } catch {
    return false;
  }
}

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
    parser.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'TAR_BAD_ARCHIVE' && isEmptyTar(archive)) resolve(new Map());
      else reject(err);
    });
    parser.on('close', () => resolve(files));
    parser.end(archive);
  });
}
