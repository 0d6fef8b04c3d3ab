import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { VERSION } from '../../version.js';

/** An answer of a code host's REST API. */
export interface HostAnswer {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

/** A code host's API refused or failed a request; the message names the request, never the token. */
export class HostApiError extends Error {
  override readonly name = 'HostApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/**
 * JSON requests to GitHub's or GitLab's REST API with their own token. Axios, already the SDK's dependency:
 * it honours HTTP(S)_PROXY / NO_PROXY as the SDK's TFE requests do (Node's fetch does not), and three
 * endpoints per host do not justify Octokit plus a GitLab client. Its own instance: no TFE token can reach it.
 */
export class HostClient {
  private readonly http: AxiosInstance;
  constructor(
    private readonly host: string,
    auth: Record<string, string>,
    private readonly secret: string,
  ) {
    this.http = axios.create({
      maxRedirects: 0,
      timeout: 30_000,
      validateStatus: () => true,
      headers: { 'User-Agent': `tfe-client/${VERSION}`, ...auth },
    });
  }

  async request(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown): Promise<HostAnswer> {
    const where = `${method} ${new URL(url).pathname}`;
    let res: AxiosResponse;
    try {
      res = await this.http.request({
        method,
        url,
        data: body,
        headers: body ? { 'Content-Type': 'application/json' } : {},
      });
    } catch (err) {
      throw new HostApiError(
        `${this.host}: ${where} failed: ${this.clean((err as Error).message)}`,
        undefined,
      );
    }
    const headers = Object.fromEntries(
      Object.entries(res.headers ?? {}).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(', ') : String(v),
      ]),
    );
    if (res.status < 200 || res.status >= 300) {
      const said = (res.data as { message?: unknown } | undefined)?.message;
      const detail =
        typeof said === 'string' ? `: ${said}` : typeof said === 'object' ? `: ${JSON.stringify(said)}` : '';
      throw new HostApiError(
        `${this.host} answered ${res.status} to ${where}${this.clean(detail)}`,
        res.status,
      );
    }
    return { status: res.status, headers, data: res.data };
  }

  private clean(text: string): string {
    return this.secret ? text.split(this.secret).join('***') : text;
  }
}
