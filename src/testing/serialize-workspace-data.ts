import { isoMillis, type JsonObject, relationship, relationshipMany } from './jsonapi.js';
import type { StateVersionOutputRecord, StateVersionRecord, VariableRecord } from './records.js';

const API = '/api/v2';

export function variableResource(v: VariableRecord): JsonObject {
  return {
    id: v.id,
    type: 'vars',
    attributes: {
      key: v.key,
      value: v.sensitive ? null : v.value,
      description: v.description,
      sensitive: v.sensitive,
      category: v.category,
      hcl: v.hcl,
      'version-id': v.versionId,
    },
    relationships: {
      configurable: {
        ...relationship('workspaces', v.workspaceId),
        links: { related: `${API}/workspaces/${v.workspaceId}` },
      },
    },
    links: { self: `${API}/workspaces/${v.workspaceId}/vars/${v.id}` },
  };
}

/** `[{ name, type, count, module, provider }]` as the state version's `resources` attribute lists them. */
function resourceSummary(addresses: string[]): JsonObject[] {
  return addresses.map((addr) => {
    const type = addr.slice(0, addr.indexOf('.'));
    return {
      name: addr.slice(addr.indexOf('.') + 1),
      type,
      count: 1,
      module: 'root',
      provider: `provider["registry.terraform.io/hashicorp/${type.split('_')[0]}"]`,
    };
  });
}

/** `archivistUrl` makes the hosted download URLs: pre-signed, served without the token. */
export function stateVersionResource(sv: StateVersionRecord, archivistUrl: string): JsonObject {
  return {
    id: sv.id,
    type: 'state-versions',
    attributes: {
      'created-at': isoMillis(sv.createdAt),
      size: 0,
      'hosted-state-download-url': `${archivistUrl}/v1/object/${sv.stateKey}`,
      'hosted-json-state-download-url': `${archivistUrl}/v1/object/${sv.jsonStateKey}`,
      modules: { root: {} },
      providers: {},
      resources: sv.resourcesProcessed ? resourceSummary(sv.resources) : [],
      'resources-processed': sv.resourcesProcessed,
      serial: sv.serial,
      'state-version': 4,
      status: 'finalized',
      'terraform-version': sv.terraformVersion,
      intermediate: false,
    },
    relationships: {
      run: relationship('runs', sv.runId),
      'created-by': relationship('users', null),
      workspace: relationship('workspaces', sv.workspaceId),
      outputs: relationshipMany(
        'state-version-outputs',
        sv.resourcesProcessed ? sv.outputIds : [],
        `${API}/state-versions/${sv.id}/outputs`,
      ),
    },
    links: { self: `${API}/state-versions/${sv.id}` },
  };
}

/** Lists hide sensitive values (null); reading one output by id reveals it, like the real API. */
export function stateVersionOutputResource(
  o: StateVersionOutputRecord,
  revealSensitive: boolean,
): JsonObject {
  return {
    id: o.id,
    type: 'state-version-outputs',
    attributes: {
      name: o.name,
      sensitive: o.sensitive,
      type: o.type,
      value: o.sensitive && !revealSensitive ? null : (o.value as JsonObject[string]),
      'detailed-type': o.type,
    },
    links: { self: `${API}/state-version-outputs/${o.id}` },
  };
}
