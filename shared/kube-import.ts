import { z } from 'zod';

/**
 * The contract's shapes for importing kubeconfig contexts into the OS keychain (issue 9). None of
 * them carries a secret toward the renderer: keychain entry names, file paths and a diff whose
 * secret values are hidden. The only secret that crosses is the new token the user types into
 * "Replace token", going to core.
 */

/** Where a context's credentials live; `plain-file` is shown as a warning. */
export const credentialLocationSchema = z.enum(['keychain', 'exec', 'plain-file', 'none']);

const secretKindSchema = z.enum([
  'token',
  'client-key',
  'client-certificate',
  'password',
  'auth-provider.id-token',
  'auth-provider.refresh-token',
  'auth-provider.access-token',
  'auth-provider.client-secret',
]);

/** One piece of a context's credentials; `at` is null for a secret held in the kubeconfig itself. */
export const credentialDetailSchema = z.object({ what: z.union([secretKindSchema, z.enum(['exec', 'keychain'])]), at: z.string().nullable() });
export type CredentialDetailDto = z.infer<typeof credentialDetailSchema>;

export const kubeContextInfoSchema = z.object({
  name: z.string(),
  file: z.string(),
  imported: z.boolean(),
  server: z.string().nullable(),
  namespace: z.string().nullable(),
  user: z.string().nullable(),
  credentials: credentialLocationSchema,
  details: z.array(credentialDetailSchema),
  warning: z.string().nullable(),
});
export type KubeContextInfoDto = z.infer<typeof kubeContextInfoSchema>;

/** `at`: the file the secret was read from, or null when it was in the kubeconfig itself. */
export const plannedSecretSchema = z.object({ kind: secretKindSchema, entry: z.string(), from: z.string(), at: z.string().nullable() });

const execSchema = z.object({ command: z.string(), args: z.array(z.string()) }).nullable();

export const importPreviewSchema = z.object({
  context: z.string(),
  file: z.string(),
  server: z.string(),
  namespace: z.string().nullable(),
  secrets: z.array(plannedSecretSchema),
  exec: execSchema,
  guardiaKubeconfig: z.string(),
  /** What removing the secrets from the original would change (values hidden); null when it holds none. */
  removalDiff: z.string().nullable(),
  filesLeft: z.array(z.string()),
  sharedWith: z.array(z.string()),
  notes: z.array(z.string()),
});
export type ImportPreviewDto = z.infer<typeof importPreviewSchema>;

export const importOutcomeSchema = z.object({
  context: z.string(),
  stored: z.array(plannedSecretSchema),
  exec: execSchema,
  guardiaKubeconfig: z.string(),
  removedFrom: z.string().nullable(),
  backup: z.string().nullable(),
  filesLeft: z.array(z.string()),
  notes: z.array(z.string()),
});
export type ImportOutcomeDto = z.infer<typeof importOutcomeSchema>;

/** A Kubernetes context name as kubectl allows it (anything printable, bounded). */
const contextNameSchema = z.string().min(1).max(253);

/** The kube.* invoke channels, spread into the contract's invokeChannels. */
export const kubeImportChannels = {
  'kube.listContexts': {
    req: z.object({}).strict(),
    res: z.object({ contexts: z.array(kubeContextInfoSchema), kubeconfigs: z.array(z.string()), guardiaKubeconfig: z.string() }),
  },
  'kube.previewImport': {
    req: z.object({ context: contextNameSchema }).strict(),
    res: importPreviewSchema,
  },
  'kube.importContext': {
    req: z
      .object({
        context: contextNameSchema,
        removeFromOriginal: z.boolean().default(false),
        /** The diff the user was shown: core refuses to edit the original if it would now differ. */
        shownDiff: z.string().nullable().default(null),
      })
      .strict(),
    res: importOutcomeSchema,
  },
  /** Lists pods through the context (its own namespace, else default): does its credential work? */
  'kube.checkContext': {
    req: z.object({ context: contextNameSchema }).strict(),
    res: z.object({ context: z.string(), namespace: z.string(), pods: z.number().int().nonnegative() }),
  },
  'kube.setToken': {
    req: z.object({ context: contextNameSchema, token: z.string().min(1).max(16_384) }).strict(),
    res: z.object({ context: z.string(), entry: z.string() }),
  },
} as const;
