import { z } from 'zod';
import { defineModel, type Model } from './model.js';

/** A user's attributes in camelCase (zod, loose). */
export const UserAttributesSchema = z.looseObject({
  username: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  avatarUrl: z.string().nullable().optional(),
  isServiceAccount: z.boolean().optional(),
  v2Only: z.boolean().optional(),
});

/** How a `users` resource decodes. */
export const UserModel = defineModel('users', UserAttributesSchema);
/** A TFE user, e.g. a run's `createdBy` with `include: ['created_by']`. */
export type User = Model<z.infer<typeof UserAttributesSchema>>;
