import { createServer } from 'node:http';

/**
 * An address on loopback where nothing listens, so a connection is refused. The port lies below the range the
 * OS hands out for port 0 (32768 up on Linux, 49152 on macOS): no server the suite starts can take it over.
 */
export async function closedPortAddress(): Promise<string> {
  const first = 20_000 + Math.floor(Math.random() * 10_000);
  for (let port = first; port < first + 100; port++) {
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return `http://127.0.0.1:${port}`;
    }
  }
  throw new Error(`no free port from ${first} to ${first + 99}`);
}
