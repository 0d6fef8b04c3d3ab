import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { API, fixture, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
const run = fixture('runs/get-run-details.json');

/** Answers the run with the given rate-limit headers, counting requests. */
function answerWith(headers: Record<string, string>) {
  const seen = { requests: 0 };
  server.use(
    http.get(`${API}/runs/:id`, () => {
      seen.requests++;
      return HttpResponse.json(run, { headers: { 'content-type': 'application/vnd.api+json', ...headers } });
    }),
  );
  return seen;
}

const patient = () => testClient({ backoff: { maxRateLimitWaitMs: 60_000 } });

describe('following the server’s rate-limit window', () => {
  it('holds the next request when an answer says the window is spent', async () => {
    const seen = answerWith({
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '30',
    });
    const tfe = patient();
    await tfe.runs.read('run-1');
    const controller = new AbortController();
    const next = tfe.runs.read('run-2', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(next).rejects.toBeInstanceOf(AbortError);
    expect(seen.requests).toBe(1);
  });

  it('sends the next request at once while the window has room', async () => {
    const seen = answerWith({
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': '30',
    });
    const tfe = patient();
    await tfe.runs.read('run-1');
    await tfe.runs.read('run-2');
    expect(seen.requests).toBe(2);
  });
});
