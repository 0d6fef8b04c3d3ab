import { InputValidationError } from './core/errors.js';

/** HCP Terraform (Terraform Cloud): the address when neither the options nor the environment name one. */
export const DEFAULT_ADDRESS = 'https://app.terraform.io';
/** The API's path below the address. */
export const DEFAULT_BASE_PATH = '/api/v2';

/**
 * The environment variables that name the TFE host, in the order they are read: ours (`TFE_ADDRESS` takes a URL,
 * the others a host name), tfci's `TF_HOSTNAME`, and Terraform's own `TF_CLOUD_HOSTNAME`.
 */
export const ADDRESS_VARIABLES = ['TFE_ADDRESS', 'TFE_HOSTNAME', 'TF_HOSTNAME', 'TF_CLOUD_HOSTNAME'] as const;

/** Where the client sends its requests, and what named it (for messages that say what to check). */
export interface ResolvedAddress {
  /** The origin, e.g. `https://tfe.example.com`: the token goes only below it. */
  address: string;
  /** What named it: the option (e.g. `address`, `--address`), an environment variable, or `default`. */
  source: string;
}

/** How {@link resolveAddress} is called: an explicit value wins; otherwise every variable set must agree. */
export interface ResolveAddressOptions {
  /** An explicit address (the client's `address` option, a CLI flag). */
  address?: string | undefined;
  /** The name of that explicit value in messages. Default `address`. */
  addressName?: string | undefined;
  /** Where the variables are read. Default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** The API path, accepted (and dropped) at the end of an address. Default `/api/v2`. */
  basePath?: string | undefined;
}

/**
 * Decides the TFE origin from an explicit address or the environment. Two variables that name different hosts are
 * refused, naming both: a token meant for one host must never be sent to the other. An address that already ends in
 * the API's path is accepted; any other path is refused (TFE serves its API at `/api/v2` of the host's root).
 */
export function resolveAddress(options: ResolveAddressOptions = {}): ResolvedAddress {
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const given = options.address?.trim();
  if (given) {
    const source = options.addressName ?? 'address';
    return { address: parseAddress(given, source, basePath), source };
  }
  const env = options.env ?? process.env;
  let chosen: ResolvedAddress | undefined;
  for (const name of ADDRESS_VARIABLES) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const address = parseAddress(raw, name, basePath);
    if (!chosen) chosen = { address, source: name };
    else if (chosen.address !== address) {
      throw new InputValidationError(
        `${chosen.source} names ${chosen.address} but ${name} names ${address}: the token would go to one of ` +
          `them. Unset one, or make both name the same host.`,
        'address',
      );
    }
  }
  return chosen ?? { address: DEFAULT_ADDRESS, source: 'default' };
}

/** The API path as the client joins it: leading slash, no trailing one, '' for none. */
export function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function parseAddress(raw: string, source: string, basePath: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InputValidationError(
      `${source} ${JSON.stringify(raw)} is not a URL or host name, e.g. https://tfe.example.com.`,
      'address',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputValidationError(`${source} must be http(s), got ${url.protocol}`, 'address');
  }
  if (url.username || url.password) {
    throw new InputValidationError(
      `${source} must not contain credentials: pass the token as { token } or TFE_TOKEN.`,
      'address',
    );
  }
  if (url.search || url.hash) {
    throw new InputValidationError(`${source} must not carry a query or fragment, got ${raw}.`, 'address');
  }
  const path = url.pathname.replace(/\/+$/, '');
  // A copied API URL (https://host/api/v2) would otherwise double the path and make every call a 404.
  if (path !== '' && path !== basePath) {
    throw new InputValidationError(
      `${source} has the path ${url.pathname}: give the host's address alone, e.g. ${url.origin} ` +
        `(the client adds ${basePath || 'the API path'} itself).`,
      'address',
    );
  }
  return url.origin;
}
