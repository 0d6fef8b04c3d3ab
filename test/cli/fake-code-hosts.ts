// Loopback fakes of the two code hosts `--pr-comment` writes to, answering as their REST docs say:
// GitHub's issue comments (docs.github.com/rest/issues/comments: `per_page`/`page`, a Link header) and GitLab's
// merge request notes (docs.gitlab.com/ee/api/notes.html: `per_page`/`page`, X-Next-Page).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HostComment {
  id: number;
  body: string;
  system?: boolean;
}

interface FakeHost {
  url: string;
  requests: HostRequest[];
  comments: HostComment[];
  /** Answers the next requests of this method with this status (a refusal). */
  refuse(method: string, status: number, message: string): void;
  close(): Promise<void>;
}

type Handler = (req: HostRequest, res: ServerResponse, base: string) => void;

async function serve(handler: Handler, requests: HostRequest[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(r);
      handler(r, res, `http://${req.headers.host}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

const closer = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** A host on loopback: records requests, checks the token, answers queued refusals, then routes. */
async function startHost(
  comments: HostComment[],
  authorized: (req: HostRequest) => boolean,
  unauthorized: string,
  route: Handler,
): Promise<FakeHost> {
  const requests: HostRequest[] = [];
  const refusals: { method: string; status: number; message: string }[] = [];
  const { server, url } = await serve((req, res, base) => {
    if (!authorized(req)) return send(res, 401, { message: unauthorized });
    const i = refusals.findIndex((r) => r.method === req.method);
    if (i !== -1) {
      const [r] = refusals.splice(i, 1);
      return send(res, r!.status, { message: r!.message });
    }
    route(req, res, base);
  }, requests);
  return {
    url,
    requests,
    comments,
    refuse: (method, status, message) => refusals.push({ method, status, message }),
    close: closer(server),
  };
}

function pageOf<T>(items: T[], query: URLSearchParams, maxPerPage: number) {
  const perPage = Math.min(Number(query.get('per_page') ?? 30) || 30, maxPerPage);
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  return { items: items.slice((page - 1) * perPage, page * perPage), page, perPage, last };
}

/** A fake GitHub REST API holding one repository's pull request comments, seeded with `others` comments. */
export async function startFakeGithub(options: { token: string; repo: string; pr: number; others?: number }) {
  const comments: HostComment[] = Array.from({ length: options.others ?? 0 }, (_, i) => ({
    id: 1000 + i,
    body: `LGTM ${i}`,
  }));
  let nextId = 5000;
  const prefix = `/repos/${options.repo}`;
  const authorized = (req: HostRequest) => req.headers.authorization === `Bearer ${options.token}`;
  return startHost(comments, authorized, 'Bad credentials', (req, res, base) => {
    const u = new URL(req.url, base);
    const list = `${prefix}/issues/${options.pr}/comments`;
    if (u.pathname === list && req.method === 'GET') {
      const p = pageOf(comments, u.searchParams, 100);
      const link = (n: number) => `<${base}${list}?per_page=${p.perPage}&page=${n}>`;
      const links = [p.page < p.last ? `${link(p.page + 1)}; rel="next"` : '', `${link(p.last)}; rel="last"`];
      const html = (c: HostComment) =>
        `https://github.example/${options.repo}/pull/${options.pr}#issuecomment-${c.id}`;
      return send(
        res,
        200,
        p.items.map((c) => ({ id: c.id, body: c.body, html_url: html(c) })),
        { link: links.filter(Boolean).join(', ') },
      );
    }
    const body = req.body ? (JSON.parse(req.body) as { body?: unknown }).body : undefined;
    if (
      (req.method === 'POST' || req.method === 'PATCH') &&
      (typeof body !== 'string' || body.length > 65_536)
    ) {
      return send(res, 422, { message: 'Validation Failed', errors: [{ field: 'body', code: 'custom' }] });
    }
    if (u.pathname === list && req.method === 'POST') {
      const c = { id: nextId++, body: body as string };
      comments.push(c);
      return send(res, 201, { id: c.id, body: c.body, html_url: `https://github.example/c/${c.id}` });
    }
    const edit = u.pathname.match(new RegExp(`^${prefix}/issues/comments/(\\d+)$`));
    if (edit && req.method === 'PATCH') {
      const c = comments.find((x) => x.id === Number(edit[1]));
      if (!c) return send(res, 404, { message: 'Not Found' });
      c.body = body as string;
      return send(res, 200, { id: c.id, body: c.body, html_url: `https://github.example/c/${c.id}` });
    }
    return send(res, 404, { message: 'Not Found' });
  });
}

/** A fake GitLab REST API (v4) holding one merge request's notes, seeded with `others` notes (some system). */
export async function startFakeGitlab(options: {
  token: string;
  project: string;
  iid: number;
  others?: number;
}) {
  const comments: HostComment[] = Array.from({ length: options.others ?? 0 }, (_, i) => ({
    id: 100 + i,
    body: i % 3 === 0 ? 'added 1 commit' : `note ${i}`,
    system: i % 3 === 0,
  }));
  let nextId = 900;
  const notes = `/api/v4/projects/${encodeURIComponent(options.project)}/merge_requests/${options.iid}/notes`;
  const authorized = (req: HostRequest) => req.headers['private-token'] === options.token;
  return startHost(comments, authorized, '401 Unauthorized', (req, res, base) => {
    const u = new URL(req.url, base);
    // GitLab takes the project id or its URL-encoded path (`group%2Fproject`), which arrives still encoded.
    const path = u.pathname;
    if (path === notes && req.method === 'GET') {
      const p = pageOf(comments, u.searchParams, 100);
      return send(
        res,
        200,
        p.items.map((c) => ({ id: c.id, body: c.body, system: c.system ?? false })),
        {
          'x-page': String(p.page),
          'x-per-page': String(p.perPage),
          'x-next-page': p.page < p.last ? String(p.page + 1) : '',
          'x-total': String(comments.length),
        },
      );
    }
    const body = req.body ? (JSON.parse(req.body) as { body?: unknown }).body : undefined;
    if (path === notes && req.method === 'POST') {
      const c = { id: nextId++, body: body as string };
      comments.push(c);
      return send(res, 201, { id: c.id, body: c.body, system: false });
    }
    const edit = path.match(/\/notes\/(\d+)$/);
    if (edit && path.startsWith(notes) && req.method === 'PUT') {
      const c = comments.find((x) => x.id === Number(edit[1]));
      if (!c) return send(res, 404, { message: '404 Not found' });
      c.body = body as string;
      return send(res, 200, { id: c.id, body: c.body, system: false });
    }
    return send(res, 404, { message: '404 Not found' });
  });
}
