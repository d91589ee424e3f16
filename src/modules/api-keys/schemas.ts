import { z } from '@hono/zod-openapi';

export const CreateApiKeyInput = z
  .strictObject({
    kind: z.enum(['secret', 'publishable']),
    scopes: z
      .array(z.enum(['admin', 'server']))
      .min(1)
      .max(2)
      .optional()
      .openapi({ description: 'Secret keys only; default `["server"]`.' }),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .refine((k) => k.kind === 'secret' || k.scopes === undefined, {
    message: 'only secret keys have scopes',
    path: ['scopes'],
  })
  .openapi('CreateApiKeyInput');
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKey = z
  .object({
    id: z.string(),
    kind: z.enum(['secret', 'publishable']),
    scopes: z.array(z.string()),
    name: z.string().nullable(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to recognise it.' }),
    createdAt: z.string().datetime(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi('ApiKey');

export const CreatedApiKey = ApiKey.extend({
  key: z.string().openapi({ description: 'Shown once.' }),
}).openapi('CreatedApiKey');
