import { AbortError, InputValidationError } from './errors.js';
import type { Pagination } from './jsonapi.js';
import { checkKnownOptions } from './validate.js';

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  /** `meta.pagination`; undefined when the endpoint does not paginate. */
  pagination: Pagination | undefined;
}

/**
 * Fetches a page; `undefined` asks for the first page the call named. `signal` fires when the iteration that
 * asked for the page has stopped (the loop broke, or another page failed), so the request is let go.
 */
export type PageFetcher<T> = (pageNumber: number | undefined, signal?: AbortSignal) => Promise<Page<T>>;

/** What `onPage` receives as the iteration reaches each page, in order. */
export interface PageProgress<T> {
  /** The page's number (1 for the first). */
  pageNumber: number;
  /** How many pages there are, when the endpoint says (the organization's run list does not). */
  totalPages: number | undefined;
  /** The page's items. */
  items: T[];
}

/** How a list call pages when iterated: pages fetched ahead, and a callback per page. */
export interface PagingSettings<T> {
  /** Pages fetched ahead while iterating (default `DEFAULT_PAGE_CONCURRENCY`). */
  concurrency?: number | undefined;
  /** Called as the iteration reaches each page, in order. */
  onPage?: ((progress: PageProgress<T>) => void) | undefined;
}

/**
 * Pages fetched ahead while iterating when the call names no `concurrency`: listing 5,000 runs at 30 req/s
 * took about 0.5× the time of page-by-page at 4 and 0.47× at 8 (BENCHMARKS.md, bench 3), and a loop that
 * stops early wastes at most this many requests.
 */
export const DEFAULT_PAGE_CONCURRENCY = 4;

/**
 * The result of a list call: `await` it for the first page, `for await` it for every item of every page.
 * Once the first page tells how many there are, the pages after it are fetched ahead, `concurrency` at a time
 * (default 4, `DEFAULT_PAGE_CONCURRENCY`; 1 fetches page by page) under the client's rate limit, and still
 * yielded in order.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  private first: Promise<Page<T>> | undefined;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    // Read once the first page is in: the call's own arguments are only checked by then.
    private readonly settings: () => PagingSettings<T> | undefined = () => undefined,
    /** The call's signal: once it fires, no further page or item is handed out, fetched ahead or not. */
    private readonly signal?: AbortSignal | undefined,
  ) {}

  /** Ends the iteration once the caller aborted: pages fetched ahead before the abort are not handed out. */
  private checkAborted(): void {
    if (this.signal?.aborted) throw new AbortError();
  }

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
  pages(): AsyncGenerator<Page<T>> {
    return this.pagesUpTo(Number.POSITIVE_INFINITY);
  }

  /**
   * Pages in order; no page is fetched ahead once those fetched hold `items` items. However the iteration ends
   * (done, a break, an error), the pages still in flight or waiting for the rate limiter are let go.
   */
  private async *pagesUpTo(items: number): AsyncGenerator<Page<T>> {
    const stop = new AbortController();
    try {
      const first = await this.firstPage();
      const settings = this.settings();
      const total = first.pagination?.totalPages;
      const seen = (page: Page<T>, n: number): Page<T> => {
        this.checkAborted();
        settings?.onPage?.({
          pageNumber: page.pagination?.currentPage ?? n,
          totalPages: total,
          items: page.items,
        });
        return page;
      };
      let number = first.pagination?.currentPage ?? 1;
      yield seen(first, number);
      const concurrency = settings?.concurrency ?? DEFAULT_PAGE_CONCURRENCY;
      let last = first;
      if (concurrency > 1 && total !== undefined) {
        const perPage = Math.max(1, first.items.length);
        const wanted = Math.ceil(Math.max(0, items - first.items.length) / perPage);
        for await (const page of this.parallelPages(first, total, concurrency, wanted, stop.signal)) {
          last = page;
          yield seen(page, ++number);
        }
      }
      // Past the count the first page gave (missing or grown since), the pages themselves say what comes next.
      let next = last.pagination?.nextPage ?? null;
      while (next !== null) {
        const page = await this.fetchPage(next, stop.signal);
        yield seen(page, next);
        next = page.pagination?.nextPage ?? null;
      }
    } finally {
      stop.abort();
    }
  }

  private async *parallelPages(
    first: Page<T>,
    total: number,
    concurrency: number,
    wanted: number,
    signal: AbortSignal,
  ): AsyncGenerator<Page<T>> {
    const start = (first.pagination?.currentPage ?? 1) + 1;
    const aheadUntil = start + wanted - 1;
    const inFlight = new Map<number, Promise<Page<T>>>();
    let nextToStart = start;
    const fill = (n: number) => {
      // Ahead only as far as the items asked for reach; past that, page by page.
      const last = Math.min(total, Math.max(n, aheadUntil));
      while (nextToStart <= last && inFlight.size < concurrency) {
        const page = nextToStart++;
        const p = this.fetchPage(page, signal);
        // Rejections are observed when the page's turn comes; until then keep them from going unhandled.
        p.catch(() => {});
        inFlight.set(page, p);
      }
    };
    try {
      for (let n = start; n <= total; n++) {
        fill(n);
        const page = await inFlight.get(n)!;
        inFlight.delete(n);
        yield page;
      }
    } finally {
      inFlight.clear();
    }
  }

  /** Every item of every page; later pages are fetched ahead, `concurrency` at a time (default 4). */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) {
      for (const item of page.items) {
        this.checkAborted();
        yield item;
      }
    }
  }

  /** Collects items across pages, up to a required `limit`, so paging everything is never unbounded by accident. */
  async toArray(options: { limit: number }): Promise<T[]> {
    // Called from JavaScript without the argument, or with a typo beside `limit`: the typed error, not a TypeError.
    checkKnownOptions(options, ['limit'], 'toArray');
    const limit = options?.limit;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InputValidationError(
        'toArray needs { limit }: a whole number of items, at least 1.',
        'limit',
      );
    }
    const out: T[] = [];
    for await (const page of this.pagesUpTo(limit)) {
      for (const item of page.items) {
        this.checkAborted();
        out.push(item);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}
