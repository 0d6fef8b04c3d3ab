import type { Handler, Route } from './routes/context.js';

export interface Match {
  handler: Handler;
  params: Record<string, string>;
}

/** Finds the route for a method and a path (`:name` segments capture, percent-decoded). */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match | undefined {
  const segments = path.split('/').filter(Boolean);
  for (const r of routes) {
    if (r.method !== method.toUpperCase()) continue;
    const pattern = r.pattern.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      const seg = segments[i] ?? '';
      if (!p.startsWith(':')) return p === seg;
      try {
        params[p.slice(1)] = decodeURIComponent(seg);
      } catch {
        return false;
      }
      return true;
    });
    if (ok) return { handler: r.handler, params };
  }
  return undefined;
}
