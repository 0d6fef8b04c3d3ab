import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeTfeCore } from './core.js';
import type { FakeResponse, FakeTfeCoreOptions, Surface } from './types.js';

/** What `startFakeTfe` takes: the core's options, and where to listen. */
export interface StartFakeTfeOptions extends FakeTfeCoreOptions {
  /** API port (default: any free port). */
  port?: number;
  /** Archivist (upload/log) port (default: any free port). */
  uploadPort?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
}

/** A running fake TFE: where it listens, its token and organization, its core, and `close()`. */
export interface FakeTfe {
  /** Origin of the API, e.g. `http://127.0.0.1:PORT` (what the SDK takes as `address`). */
  url: string;
  /** Same as `url`. */
  address: string;
  /** `url` + `/api/v2`. */
  apiUrl: string;
  /** Origin of the archivist (upload-url, log-read-url and downloads point there). */
  uploadUrl: string;
  token: string;
  organization: string;
  core: FakeTfeCore;
  /** Closes both servers, every open socket and every timer. */
  close(): Promise<void>;
}

/** Open sockets and drip timers of one server, so close() can end them all. */
class Connections {
  readonly sockets = new Set<Socket>();
  readonly timers = new Set<NodeJS.Timeout>();

  track(server: Server): void {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  destroyAll(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes the core's answer, acting out transport faults (reset, drop, hang, drip). */
function send(res: ServerResponse, response: FakeResponse, conns: Connections): void {
  const transport = response.transport;
  if (transport?.kind === 'hang') return;
  if (transport?.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  const headers = { ...response.headers, 'content-length': String(response.body.length) };
  res.writeHead(response.status, headers);
  if (transport?.kind === 'reset') {
    res.write(response.body.subarray(0, Math.floor(response.body.length / 2)), () => res.socket?.destroy());
    return;
  }
  if (transport?.kind === 'drip') {
    let offset = 0;
    res.flushHeaders();
    const timer = setInterval(() => {
      const chunk = response.body.subarray(offset, offset + transport.chunkBytes);
      offset += transport.chunkBytes;
      if (offset >= response.body.length) {
        clearInterval(timer);
        conns.timers.delete(timer);
        res.end(chunk);
      } else {
        res.write(chunk);
      }
    }, transport.intervalMs);
    conns.timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      conns.timers.delete(timer);
    });
    return;
  }
  res.end(response.body);
}

function serve(core: FakeTfeCore, surface: Surface, conns: Connections): Server {
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) =>
        core.handle({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body,
          surface,
        }),
      )
      .then((response) => send(res, response, conns))
      .catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake TFE failed: ${String(err)}\n`);
      });
  });
  conns.track(server);
  return server;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: actual } = server.address() as AddressInfo;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${actual}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** Starts a fake TFE on loopback: the API and its archivist on two ports, sharing one core. */
export async function startFakeTfe(options: StartFakeTfeOptions = {}): Promise<FakeTfe> {
  const host = options.host ?? '127.0.0.1';
  const core = new FakeTfeCore(options);
  const conns = new Connections();
  const api = serve(core, 'api', conns);
  const archivist = serve(core, 'archivist', conns);
  let url: string;
  try {
    url = await listen(api, options.port ?? 0, host);
    core.archivistUrl = await listen(archivist, options.uploadPort ?? 0, host);
  } catch (err) {
    core.close();
    conns.destroyAll();
    await Promise.all([closeServer(api), closeServer(archivist)]);
    throw err;
  }
  core.address = options.address ?? url;
  let closing: Promise<void> | undefined;
  return {
    url,
    address: url,
    apiUrl: `${url}/api/v2`,
    uploadUrl: core.archivistUrl,
    token: core.token,
    organization: core.organization,
    core,
    close() {
      closing ??= (async () => {
        core.close();
        const done = Promise.all([closeServer(api), closeServer(archivist)]);
        conns.destroyAll();
        await done;
      })();
      return closing;
    },
  };
}
