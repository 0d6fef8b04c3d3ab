import { ApplyModel } from './apply.js';
import { CommentModel } from './comment.js';
import { ConfigurationVersionModel, IngressAttributesModel } from './configuration-version.js';
import { CostEstimateModel } from './cost-estimate.js';
import type { ModelDefinition, ModelRegistry } from './model.js';
import { PlanModel } from './plan.js';
import { PolicyCheckModel } from './policy-check.js';
import { RunModel } from './run.js';
import { RunEventModel } from './run-event.js';
import { StateVersionModel } from './state-version.js';
import { StateVersionOutputModel } from './state-version-output.js';
import { UserModel } from './user.js';
import { VariableModel } from './variable.js';
import { EffectiveTagBindingModel, TagBindingModel, TagModel, WorkspaceModel } from './workspace.js';

/** Every JSON:API type the SDK validates, so `included` resources decode to their typed models. */
export const MODELS: ModelRegistry = new Map<string, ModelDefinition>(
  [
    RunModel,
    PlanModel,
    ApplyModel,
    UserModel,
    CostEstimateModel,
    ConfigurationVersionModel,
    IngressAttributesModel,
    WorkspaceModel,
    TagBindingModel,
    EffectiveTagBindingModel,
    TagModel,
    VariableModel,
    StateVersionModel,
    StateVersionOutputModel,
    PolicyCheckModel,
    CommentModel,
    RunEventModel,
  ].map((m) => [m.type, m]),
);

export * from './apply.js';
export * from './comment.js';
export * from './configuration-version.js';
export * from './cost-estimate.js';
export type { Model, ResourceBase } from './model.js';
export * from './plan.js';
export * from './plan-json.js';
export * from './policy-check.js';
export * from './run.js';
export * from './run-event.js';
export * from './run-status.js';
export * from './state-version.js';
export * from './state-version-output.js';
export * from './user.js';
export * from './variable.js';
export * from './workspace.js';
