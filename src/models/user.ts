import { z } from 'zod';
import { defineModel, type Model } from './model.js';

export const UserAttributesSchema = z.looseObject({
  username: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  avatarUrl: z.string().nullable().optional(),
  isServiceAccount: z.boolean().optional(),
  v2Only: z.boolean().optional(),
});

export const UserModel = defineModel('users', UserAttributesSchema);
export type User = Model<z.infer<typeof UserAttributesSchema>>;
