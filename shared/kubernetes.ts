import { z } from 'zod';

/**
 * The contract's shapes for the environment's Kubernetes context: which kubeconfig contexts exist,
 * which one is active (switchable per environment), whether it is production or read-only, and
 * the exec credential plugins the user has allowed. No credential ever appears here.
 */

/** The exec plugin a context authenticates with, and whether Guardia may run it. */
export const execPluginSchema = z.object({
  /** The command as the kubeconfig names it (e.g. "kubelogin"). */
  command: z.string(),
  /** Where it was found on the login shell's PATH; null when not found. */
  path: z.string().nullable(),
  /** On the allowlist (absolute path) the user confirmed. */
  allowed: z.boolean(),
});

export const kubeContextEntrySchema = z.object({
  name: z.string(),
  server: z.string().nullable(),
  namespace: z.string().nullable(),
  user: z.string().nullable(),
  exec: execPluginSchema.nullable(),
  active: z.boolean(),
});
export type KubeContextEntry = z.infer<typeof kubeContextEntrySchema>;

export const kubeContextsSchema = z.object({
  environment: z.object({ id: z.string(), name: z.string(), production: z.boolean(), readOnly: z.boolean() }),
  /** The context playbooks run against now; null when the environment has no Kubernetes. */
  active: z.string().nullable(),
  /** Where the contexts were read from (kubeconfig files); empty for the demo. */
  sources: z.array(z.string()),
  contexts: z.array(kubeContextEntrySchema),
  /** Why the list is incomplete (an unreadable kubeconfig), if it is. */
  problem: z.string().nullable(),
});
export type KubeContexts = z.infer<typeof kubeContextsSchema>;

/** The kubernetes.* invoke channels (spread into the contract). */
export const kubernetesChannels = {
  /** The kubeconfig's contexts for the active environment, the active one, production/read-only flags. */
  'kubernetes.listContexts': { req: z.object({}).strict(), res: kubeContextsSchema },
  /** Switches the environment's context (remembered in GUARDIA_HOME); playbooks then run against it. */
  'kubernetes.useContext': {
    req: z.object({ context: z.string().min(1).max(253) }).strict(),
    res: kubeContextsSchema,
  },
  /** Allows an exec credential plugin once (by absolute path, found on the login shell's PATH). */
  'kubernetes.allowExec': {
    req: z.object({ command: z.string().min(1).max(4096) }).strict(),
    res: z.object({ command: z.string(), path: z.string(), addedAt: z.string() }),
  },
} as const;

/** The kubernetes.* events (spread into the contract). */
export const kubernetesEventChannels = {
  /** The environment's active context changed: playbook availability must be read again. */
  'kubernetes.changed': z.object({ environment: z.string(), context: z.string().nullable() }),
} as const;
