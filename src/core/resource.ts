import type { ApiClient } from './api-client.js';

/** A resource holds the API client and describes endpoints; the logic lives in the transport and JSON:API layers. */
export abstract class APIResource {
  protected readonly api: ApiClient;
  constructor(api: ApiClient) {
    this.api = api;
  }
}
