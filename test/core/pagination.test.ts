import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { DEFAULT_PAGE_CONCURRENCY, type Page, PagePromise } from '../../src/core/pagination.js';

/** A list of `total` pages of `size` items that records the most pages ever in flight at once. */
function pagedSource(total: number, size = 2) {
  const requested: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (n: number | undefined): Promise<Page<string>> => {
    const page = n ?? 1;
    requested.push(page);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    // Later pages answer sooner, so order must come from the iterator, not from arrival.
    await new Promise((resolve) => setTimeout(resolve, total - page));
    inFlight--;
    return {
      items: Array.from({ length: size }, (_, i) => `${page}.${i}`),
      pagination: {
        currentPage: page,
        prevPage: page > 1 ? page - 1 : null,
        nextPage: page < total ? page + 1 : null,
        totalPages: total,
        totalCount: total * size,
      },
    };
  };
  return { fetchPage, requested, maxInFlight: () => maxInFlight };
}

const all = async (list: PagePromise<string>) => {
  const items: string[] = [];
  for await (const item of list) items.push(item);
  return items;
};

describe('PagePromise', () => {
  it('fetches pages ahead by default and yields every item in order', async () => {
    const source = pagedSource(10);
    const items = await all(new PagePromise(source.fetchPage));
    expect(items).toEqual(Array.from({ length: 10 }, (_, p) => [`${p + 1}.0`, `${p + 1}.1`]).flat());
    expect(source.maxInFlight()).toBe(DEFAULT_PAGE_CONCURRENCY);
  });

  it('fetches page by page when concurrency is 1', async () => {
    const source = pagedSource(5);
    await all(new PagePromise(source.fetchPage, () => ({ concurrency: 1 })));
    expect(source.maxInFlight()).toBe(1);
    expect(source.requested).toEqual([1, 2, 3, 4, 5]);
  });

  it('toArray fetches no page beyond those holding the items asked for', async () => {
    const source = pagedSource(10);
    const items = await new PagePromise(source.fetchPage, () => ({ concurrency: 8 })).toArray({ limit: 5 });
    expect(items).toEqual(['1.0', '1.1', '2.0', '2.1', '3.0']);
    expect(source.requested).toEqual([1, 2, 3]);
  });

  it('a loop that stops early leaves at most the pages fetched ahead unread', async () => {
    const source = pagedSource(20);
    for await (const item of new PagePromise(source.fetchPage)) if (item === '2.0') break;
    expect(Math.max(...source.requested)).toBeLessThanOrEqual(1 + DEFAULT_PAGE_CONCURRENCY);
  });

  it("hands out no page fetched ahead once the caller's signal fires, nor another item", async () => {
    const source = pagedSource(8);
    const controller = new AbortController();
    const pagesSeen: number[] = [];
    const items: string[] = [];
    const list = new PagePromise(
      source.fetchPage,
      () => ({
        concurrency: 8,
        onPage: ({ pageNumber }) => {
          pagesSeen.push(pageNumber);
          if (pageNumber === 2) controller.abort();
        },
      }),
      controller.signal,
    );
    const err = await (async () => {
      for await (const item of list) items.push(item);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    // Pages 3–8 were in flight or in before the abort: none of them reaches the caller.
    expect(pagesSeen).toEqual([1, 2]);
    expect(items).toEqual(['1.0', '1.1']);
  });

  it('toArray stops at the abort too', async () => {
    const source = pagedSource(4);
    const controller = new AbortController();
    const list = new PagePromise(
      source.fetchPage,
      () => ({ onPage: ({ pageNumber }) => pageNumber === 2 && controller.abort() }),
      controller.signal,
    );
    await expect(list.toArray({ limit: 100 })).rejects.toBeInstanceOf(AbortError);
  });
});
