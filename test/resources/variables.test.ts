import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  InputValidationError,
  NotFoundError,
  UnprocessableEntityError,
  type Variable,
} from '../../src/index.js';
import { API, fixture, HttpResponse, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
const WS = 'ws-4j8p6jX1w33MiDC7';

describe('variables.list', () => {
  it('GETs the workspace vars and parses the documented list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/workspaces/ws-cZE9LERN3rGPRAmH/vars`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('variables/list-variables.json'));
      }),
    );
    const page = await testClient().variables.list('ws-cZE9LERN3rGPRAmH');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url.search).toBe('');
    expect(page.items).toHaveLength(1);
    const v: Variable = page.items[0]!;
    expect(v).toMatchObject({
      id: 'var-AD4pibb9nxo1468E',
      type: 'vars',
      key: 'name',
      value: 'hello',
      description: 'some description',
      sensitive: false,
      category: 'terraform',
      hcl: false,
      versionId: '1aa07d63ea8ff4df941c94ca9ddfd5d2bd04',
    });
    expect(v.relationships.configurable).toEqual({ id: 'ws-cZE9LERN3rGPRAmH', type: 'workspaces' });
  });

  it('reads a sensitive variable with a null value', async () => {
    server.use(
      http.get(`${API}/workspaces/ws-1/vars`, () =>
        jsonApi({
          data: [
            {
              id: 'var-1',
              type: 'vars',
              attributes: { key: 'TOKEN', value: null, category: 'env', sensitive: true, hcl: false },
            },
          ],
        }),
      ),
    );
    const { items } = await testClient().variables.list('ws-1');
    expect(items[0]).toMatchObject({ key: 'TOKEN', value: null, sensitive: true, category: 'env' });
  });
});

describe('variables.create', () => {
  it('POSTs the documented payload and parses the created variable', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/${WS}/vars`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('variables/create-a-variable.json'), 201);
      }),
    );
    const v = await testClient().variables.create(WS, {
      key: 'some_key',
      value: 'some_value',
      description: 'some description',
      category: 'terraform',
      hcl: false,
      sensitive: false,
    });
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(JSON.parse(seen[0]!.body)).toEqual(fixture('variables/requests/create-a-variable.json'));
    expect(v).toMatchObject({ id: 'var-EavQ1LztoRTQHSNT', key: 'some_key', value: 'some_value' });
  });

  it('sends only the attributes given', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-1/vars`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('variables/create-a-variable.json'), 201);
      }),
    );
    await testClient().variables.create('ws-1', { key: 'AWS_REGION', value: 'eu-west-1', category: 'env' });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: { type: 'vars', attributes: { key: 'AWS_REGION', value: 'eu-west-1', category: 'env' } },
    });
  });

  it.each([
    [{ key: '1st', value: 'x', category: 'terraform' }, 'key', 'must be a Terraform variable name'],
    [
      { key: 'has space', value: 'x', category: 'terraform' },
      'key',
      'not starting with a digit (got "has space")',
    ],
    [{ key: 'MY-VAR', value: 'x', category: 'env' }, 'key', 'must be an environment variable name'],
    [{ key: '9LIVES', value: 'x', category: 'env' }, 'key', 'must be an environment variable name'],
    [
      { key: 'A', value: 'x', category: 'env', hcl: true },
      'hcl',
      'HCL values are for Terraform variables only',
    ],
    [{ key: 'a', value: 'x', category: 'policy-set' }, 'category', 'category'],
    [{ key: 'a', value: 'x' }, 'category', 'category'],
    [{ key: '', value: 'x', category: 'terraform' }, 'key', 'key'],
    [{ key: 'a', value: 1, category: 'terraform' }, 'value', 'expected string'],
    [{ key: 'a', category: 'terraform', secret: true }, 'secret', 'unknown option "secret"'],
  ])('rejects %j before sending', async (params, field, message) => {
    const attempt = testClient().variables.create('ws-1', params as never);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({ field, message: expect.stringContaining(message) });
  });

  it.each(['my_var', 'my-var', '_private', 'région', 'x9'])('accepts the Terraform name %s', async (key) => {
    server.use(
      http.post(`${API}/workspaces/ws-1/vars`, () =>
        jsonApi(fixture('variables/create-a-variable.json'), 201),
      ),
    );
    await expect(
      testClient().variables.create('ws-1', { key, value: '1', category: 'terraform' }),
    ).resolves.toBeDefined();
  });
});

describe('variables.update', () => {
  it('PATCHes the documented payload with the variable id', async () => {
    const { seen, record } = recorder();
    server.use(
      http.patch(`${API}/workspaces/${WS}/vars/var-yRmifb4PJj7cLkMG`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('variables/update-variables.json'));
      }),
    );
    const v = await testClient().variables.update(WS, 'var-yRmifb4PJj7cLkMG', {
      key: 'name',
      value: 'mars',
      description: 'some description',
      category: 'terraform',
      hcl: false,
      sensitive: false,
    });
    expect(seen[0]!.method).toBe('PATCH');
    expect(JSON.parse(seen[0]!.body)).toEqual(fixture('variables/requests/update-variables.json'));
    expect(v).toMatchObject({ id: 'var-yRmifb4PJj7cLkMG', value: 'mars' });
  });

  it('sends only the attributes that change', async () => {
    const { seen, record } = recorder();
    server.use(
      http.patch(`${API}/workspaces/ws-1/vars/var-1`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('variables/update-variables.json'));
      }),
    );
    await testClient().variables.update('ws-1', 'var-1', { value: 'new' });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: { type: 'vars', id: 'var-1', attributes: { value: 'new' } },
    });
  });

  it.each([
    [{ key: '0x' }, 'key', 'must be a Terraform variable name'],
    [{ key: 'A.B', category: 'env' }, 'key', 'must be an environment variable name'],
    [{ category: 'env', hcl: true }, 'hcl', 'HCL values'],
    [{ valu: 'x' }, 'valu', 'unknown option "valu"'],
  ])('rejects %j before sending', async (params, field, message) => {
    const attempt = testClient().variables.update('ws-1', 'var-1', params as never);
    await expect(attempt).rejects.toMatchObject({ field, message: expect.stringContaining(message) });
  });

  it('rejects a path-changing variable id', async () => {
    await expect(testClient().variables.update('ws-1', '../var-2', { value: 'x' })).rejects.toMatchObject({
      field: 'variableId',
    });
  });
});

describe('variables.delete', () => {
  it('DELETEs the variable and resolves on 204', async () => {
    const { seen, record } = recorder();
    server.use(
      http.delete(`${API}/workspaces/ws-1/vars/var-1`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await expect(testClient().variables.delete('ws-1', 'var-1')).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toBe('');
  });

  it('throws NotFoundError for a variable that is not there', async () => {
    server.use(
      http.delete(`${API}/workspaces/ws-1/vars/var-9`, () => jsonApi({ errors: [{ status: '404' }] }, 404)),
    );
    await expect(testClient().variables.delete('ws-1', 'var-9')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a sensitive value', () => {
  const SECRET = 's3cr3t-<pa$$>&"quoted"-é';
  // How a Rails server writes the value inside JSON: quotes escaped, HTML characters as \u escapes.
  const RAILS = 's3cr3t-\\u003cpa$$\\u003e\\u0026\\"quoted\\"-é';
  const ASCII = 's3cr3t-\\u003cpa$$\\u003e\\u0026\\"quoted\\"-\\u00e9';
  const echo422 = () =>
    new HttpResponse(
      `{"errors":[{"status":"422","title":"invalid value","detail":"Value ${RAILS} is not allowed",` +
        `"source":{"pointer":"/data/attributes/value"},"meta":{"value":"${ASCII}","raw":"${SECRET.replace(/"/g, '\\"')}"}}]}`,
      { status: 422, headers: { 'Content-Type': 'application/vnd.api+json' } },
    );

  const leakedIn = (texts: string[]) =>
    texts.filter((t) => [SECRET, RAILS, ASCII, 's3cr3t', 'pa$$'].some((s) => t.includes(s)));

  async function failingWrite(write: (tfe: ReturnType<typeof testClient>) => Promise<unknown>) {
    const lines: string[] = [];
    const log = (m: string, f?: Record<string, unknown>) => lines.push(m + JSON.stringify(f ?? {}));
    const tfe = testClient({ logger: { debug: log, info: log, warn: log, error: log } });
    const err = await write(tfe).catch((e: unknown) => e);
    return { err: err as UnprocessableEntityError, lines };
  }

  function texts(err: Error, lines: string[]) {
    return [
      err.message,
      err.stack ?? '',
      String(err),
      JSON.stringify(err),
      inspect(err, { depth: Infinity, showHidden: true }),
      ...lines,
    ];
  }

  it('is in no error or log line when a create answers 422 echoing it', async () => {
    server.use(http.post(`${API}/workspaces/ws-1/vars`, echo422));
    const { err, lines } = await failingWrite((tfe) =>
      tfe.variables.create('ws-1', {
        key: 'db_password',
        value: SECRET,
        category: 'terraform',
        sensitive: true,
      }),
    );
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(err.message).toContain('invalid value: Value [REDACTED] is not allowed');
    expect(err.errors[0]!.source).toEqual({ pointer: '/data/attributes/value' });
    expect(lines.length).toBeGreaterThan(0);
    expect(leakedIn(texts(err, lines))).toEqual([]);
  });

  it('is in no error when an update that does not say sensitive: false answers 422', async () => {
    server.use(http.patch(`${API}/workspaces/ws-1/vars/var-1`, echo422));
    const { err, lines } = await failingWrite((tfe) =>
      tfe.variables.update('ws-1', 'var-1', { value: SECRET }),
    );
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(leakedIn(texts(err, lines))).toEqual([]);
  });

  it('is in no error when the 422 body is not JSON', async () => {
    server.use(
      http.post(
        `${API}/workspaces/ws-1/vars`,
        () => new HttpResponse(`<p>bad ${SECRET}</p>`, { status: 422 }),
      ),
    );
    const { err, lines } = await failingWrite((tfe) =>
      tfe.variables.create('ws-1', { key: 'k', value: SECRET, category: 'terraform', sensitive: true }),
    );
    expect(err.body).toContain('[REDACTED]');
    expect(leakedIn(texts(err, lines))).toEqual([]);
  });

  it('is in no error when the input is refused before sending', async () => {
    const { err } = await failingWrite((tfe) =>
      tfe.variables.create('ws-1', { key: '1bad', value: SECRET, category: 'terraform', sensitive: true }),
    );
    expect(err).toBeInstanceOf(InputValidationError);
    expect(leakedIn(texts(err, []))).toEqual([]);
  });

  it('stays readable in errors when the variable is not sensitive', async () => {
    server.use(http.post(`${API}/workspaces/ws-1/vars`, echo422));
    const { err } = await failingWrite((tfe) =>
      tfe.variables.create('ws-1', { key: 'region', value: SECRET, category: 'terraform' }),
    );
    expect(err.message).toContain(SECRET);
  });
});
