import { InputValidationError } from './errors.js';
import type { Pagination } from './jsonapi.js';

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  /** `meta.pagination`; undefined when the endpoint does not paginate. */
  pagination: Pagination | undefined;
}

/** Fetches a page; `undefined` asks for the first page the call named. */
export type PageFetcher<T> = (pageNumber: number | undefined) => Promise<Page<T>>;

/**
 * The result of a list call: `await` it for the first page, `for await` it for every item of every page.
 * With `concurrency` > 1, the pages after the first are fetched in parallel (under the client's rate limit)
 * and still yielded in order.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  private first: Promise<Page<T>> | undefined;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    private readonly concurrency: () => number = () => 1,
  ) {}

  private firstPage(): Promise<Page<T>> {
    this.first ??= this.fetchPage(undefined);
    return this.first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a list call is awaitable by design.
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.firstPage().then(onfulfilled, onrejected);
  }

  /** Like `Promise.catch` on the first page. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T> | R> {
    return this.firstPage().catch(onrejected);
  }

  /** Like `Promise.finally` on the first page. */
  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.firstPage().finally(onfinally);
  }

  /** Every page in order, from the first asked for to the last. */
  async *pages(): AsyncGenerator<Page<T>> {
    const first = await this.firstPage();
    yield first;
    const total = first.pagination?.totalPages;
    if (this.concurrency() > 1 && total !== undefined) {
      yield* this.parallelPages(first, total);
      return;
    }
    let next = first.pagination?.nextPage ?? null;
    while (next !== null) {
      const page = await this.fetchPage(next);
      yield page;
      next = page.pagination?.nextPage ?? null;
    }
  }

  private async *parallelPages(first: Page<T>, total: number): AsyncGenerator<Page<T>> {
    const start = (first.pagination?.currentPage ?? 1) + 1;
    const concurrency = this.concurrency();
    const inFlight = new Map<number, Promise<Page<T>>>();
    let nextToStart = start;
    const fill = () => {
      while (nextToStart <= total && inFlight.size < concurrency) {
        const n = nextToStart++;
        const p = this.fetchPage(n);
        // Rejections are observed when the page's turn comes; until then keep them from going unhandled.
        p.catch(() => {});
        inFlight.set(n, p);
      }
    };
    try {
      for (let n = start; n <= total; n++) {
        fill();
        const page = await inFlight.get(n)!;
        inFlight.delete(n);
        yield page;
      }
    } finally {
      inFlight.clear();
    }
  }

  /** Every item of every page, fetching later pages as the loop reaches them. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Collects items across pages, up to a required `limit`, so paging everything is never unbounded by accident. */
  async toArray({ limit }: { limit: number }): Promise<T[]> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InputValidationError(
        'toArray needs { limit }: a whole number of items, at least 1.',
        'limit',
      );
    }
    const out: T[] = [];
    for await (const item of this) {
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }
}
