// A JSON API on loopback for tests of the CI adapters (GitHub, GitLab): each request recorded, each answered by
// the test's handler.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

/** What a handler answers: a status and a JSON body. */
export type Answer = { status?: number; body: unknown };

/** Starts the server; `handle` gets the method, the path and the parsed JSON body. */
export async function recordingServer(
  handle: (method: string, path: string, body: Record<string, unknown>) => Answer,
) {
  const calls: RecordedCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      calls.push({ method: req.method ?? '', path, headers: req.headers });
      const answer = handle(req.method ?? '', path, JSON.parse(text || '{}'));
      res.statusCode = answer.status ?? 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
