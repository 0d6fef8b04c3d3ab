import type { JsonObject } from './jsonapi.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  links: JsonObject;
  meta: JsonObject;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** TFE writes brackets percent-encoded in pagination links. */
function encodeQuery(params: [string, string][]): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/**
 * One page of `all` with TFE's `links` (absolute, other query parameters kept) and `meta.pagination`.
 * `origin` + `path` form the link base, as in common/pagination.json. `totals: false` drops what needs a count
 * (`total-count`, `total-pages`, the `first` and `last` links), as the organization run list does.
 */
export function paginate<T>(
  all: T[],
  query: Record<string, string>,
  origin: string,
  path: string,
  { totals = true }: { totals?: boolean } = {},
): Page<T> {
  const size = Math.min(positiveInt(query['page[size]'], DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const number = positiveInt(query['page[number]'], 1);
  const totalPages = Math.max(1, Math.ceil(all.length / size));
  const others = Object.entries(query).filter(([k]) => k !== 'page[number]' && k !== 'page[size]');
  const link = (page: number | null): string | null =>
    page === null
      ? null
      : `${origin}${path}?${encodeQuery([['page[number]', String(page)], ['page[size]', String(size)], ...others])}`;
  const prev = number > 1 ? Math.min(number - 1, totalPages) : null;
  const next = number < totalPages ? number + 1 : null;
  const items = all.slice((number - 1) * size, number * size);
  if (!totals) {
    return {
      items,
      links: { self: link(number), prev: link(prev), next: link(next) },
      meta: {
        pagination: { 'current-page': number, 'page-size': size, 'prev-page': prev, 'next-page': next },
      },
    };
  }
  return {
    items,
    links: { self: link(number), first: link(1), prev: link(prev), next: link(next), last: link(totalPages) },
    meta: {
      pagination: {
        'current-page': number,
        'page-size': size,
        'prev-page': prev,
        'next-page': next,
        'total-pages': totalPages,
        'total-count': all.length,
      },
    },
  };
}
