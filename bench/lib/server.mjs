// A bare loopback HTTP server in its own process, so its CPU never counts against the client measured:
// GET answers the same bytes every time (gzip-encoded, as a CDN in front of the API may send them, when started
// with { gzip: true }); PUT/POST drain the body and answer 200 with the byte count (GET /__last-put tells the
// size of the last body received).
// Started by startServer() below; run as a script it serves the file named in argv[2].
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Starts the server in a child process; resolves with its origin and a stop(). */
export function startServer(bodyFile, { gzip = false } = {}) {
  const child = fork(fileURLToPath(import.meta.url), [bodyFile ?? '', gzip ? 'gzip' : ''], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (msg) => {
      resolve({
        origin: `http://127.0.0.1:${msg.port}`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill();
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const plain = process.argv[2] ? readFileSync(process.argv[2]) : Buffer.from('{}');
  const gzip = process.argv[3] === 'gzip';
  // Every client gets the same bytes, whatever it asks for: the peer's axios 0.21 sends no Accept-Encoding.
  const body = gzip ? gzipSync(plain) : plain;
  const headers = {
    'content-type': 'application/vnd.api+json; charset=utf-8',
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  let lastPut = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/__last-put') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(lastPut));
      return;
    }
    if (req.method === 'GET') {
      req.resume();
      res.writeHead(200, headers).end(body);
      return;
    }
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      lastPut = bytes;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(bytes));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}
