import { declaredOutputs } from './config-scan.js';
import { newId, opaqueToken } from './ids.js';
import type { Json, JsonObject } from './jsonapi.js';
import type { RunRecord, StateVersionRecord, WorkspaceRecord } from './records.js';
import type { Store } from './store.js';
import type { Timers } from './timers.js';

/**
 * The state version an apply leaves: resources from the plan, outputs read from the configuration.
 * Like the real API, its outputs are "processed" a moment later (`resources-processed` turns true).
 */
export function recordStateVersion(
  store: Store,
  timers: Timers,
  run: RunRecord,
  ws: WorkspaceRecord,
  processingMs: number,
): StateVersionRecord {
  const previous = ws.currentStateVersionId ? store.stateVersions.get(ws.currentStateVersionId) : undefined;
  const cv = store.configurationVersions.get(run.configurationVersionId);
  const sv: StateVersionRecord = {
    id: newId('sv'),
    workspaceId: ws.id,
    runId: run.id,
    serial: (previous?.serial ?? 0) + 1,
    createdAt: new Date(),
    terraformVersion: run.terraformVersion,
    resourcesProcessed: false,
    resources: [...ws.state.resources],
    outputIds: [],
    stateKey: opaqueToken(),
    jsonStateKey: opaqueToken(),
  };
  store.objects.set(sv.stateKey, { kind: 'state', id: sv.id });
  store.objects.set(sv.jsonStateKey, { kind: 'json-state', id: sv.id });
  const keep = new Set(ws.state.outputs);
  for (const o of declaredOutputs(cv?.files ?? null, ws.workingDirectory)) {
    if (!keep.has(o.name)) continue;
    const id = newId('wsout');
    store.stateVersionOutputs.set(id, { id, stateVersionId: sv.id, ...o });
    sv.outputIds.push(id);
  }
  store.stateVersions.set(sv.id, sv);
  ws.currentStateVersionId = sv.id;
  timers.after(processingMs, () => {
    sv.resourcesProcessed = true;
  });
  return sv;
}

/** The state file a state version stands for, as Terraform writes it (format version 4). */
export function stateFile(store: Store, sv: StateVersionRecord): JsonObject {
  const outputs = Object.fromEntries(
    sv.outputIds.flatMap((id) => {
      const o = store.stateVersionOutputs.get(id);
      if (!o) return [];
      const value = o.value as Json;
      return [[o.name, { value, type: o.type, ...(o.sensitive ? { sensitive: true } : {}) }]];
    }),
  );
  return {
    version: 4,
    terraform_version: sv.terraformVersion,
    serial: sv.serial,
    lineage: sv.workspaceId,
    outputs,
    resources: sv.resources.map((addr) => {
      const dot = addr.indexOf('.');
      return { mode: 'managed', type: addr.slice(0, dot), name: addr.slice(dot + 1), instances: [{}] };
    }),
  };
}

/** The same state in Terraform's JSON output format (`terraform show -json`). */
export function jsonStateFile(store: Store, sv: StateVersionRecord): JsonObject {
  const raw = stateFile(store, sv);
  return {
    format_version: '1.0',
    terraform_version: sv.terraformVersion,
    values: {
      outputs: raw.outputs,
      root_module: {
        resources: sv.resources.map((address) => {
          const dot = address.indexOf('.');
          return { address, mode: 'managed', type: address.slice(0, dot), name: address.slice(dot + 1) };
        }),
      },
    },
  };
}
