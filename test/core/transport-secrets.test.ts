import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, ResponseValidationError } from '../../src/index.js';
import { API, HttpResponse, http, jsonApi, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
const SECRET = 'pa"ss<word>\u00e9';

const shown = (e: Error) => [e.message, JSON.stringify(e), inspect(e, { depth: Infinity, showHidden: true })];

describe('per-call secrets', () => {
  it.each([
    ['as sent', SECRET],
    ['JSON-escaped', 'pa\\"ss<word>\u00e9'],
    ['HTML-escaped the Rails way', 'pa\\"ss\\u003cword\\u003e\u00e9'],
    ['ASCII-only escaped', 'pa\\"ss\\u003cword\\u003e\\u00e9'],
    ['escaped twice, quoted inside the server’s own message', 'pa\\\\\\"ss<word>\u00e9'],
  ])('are redacted from an error body that echoes them %s', async (_how, echoed) => {
    server.use(
      http.get(
        `${API}/runs/run-1`,
        () => new HttpResponse(`{"errors":[{"status":"400","detail":"bad: ${echoed}"}]}`, { status: 400 }),
      ),
    );
    const err = (await testClient()
      .runs.read('run-1', {}, { secrets: [SECRET] })
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toContain('bad: [REDACTED]');
    for (const text of shown(err)) expect(text).not.toContain('word');
  });

  it('are redacted from a success body that is not JSON', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () => new HttpResponse(`<html>${SECRET}</html>`, { status: 200 })),
    );
    const err = (await testClient()
      .runs.read('run-1', {}, { secrets: [SECRET] })
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.body).toBe('<html>[REDACTED]</html>');
  });

  it('are redacted from the path of a redirect that names nowhere to go', async () => {
    // An id pasted from the wrong field: the call names it a secret.
    const id = 'cv-pasted-token-1234';
    server.use(
      http.get(`${API}/configuration-versions/${id}/download`, () => new HttpResponse(null, { status: 302 })),
    );
    const err = (await testClient()
      .configurationVersions.download(id, { secrets: [id] })
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.path).toBe('/api/v2/configuration-versions/[REDACTED]/download');
    for (const text of shown(err)) expect(text).not.toContain(id);
  });

  it('leave other calls’ errors as the server wrote them', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () => jsonApi({ errors: [{ status: '400', detail: SECRET }] }, 400)),
    );
    const err = (await testClient()
      .runs.read('run-1')
      .catch((e: unknown) => e)) as ApiError;
    expect(err.message).toContain(SECRET);
  });
});
