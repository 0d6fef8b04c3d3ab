import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';
import { ResourceCountsShape } from './plan.js';

export const ApplyAttributesSchema = z.looseObject({
  status: z.string(),
  ...ResourceCountsShape,
  logReadUrl: z.string().nullable().optional(),
  executionDetails: z.looseObject({}).nullable().optional(),
  statusTimestamps,
});

export const ApplyModel = defineModel('applies', ApplyAttributesSchema);
export type ApplyAttributes = z.infer<typeof ApplyAttributesSchema>;
export type Apply = Model<ApplyAttributes, 'stateVersions'>;
