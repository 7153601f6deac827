import { z } from 'zod';
import { translate, type MessageKey } from './i18n/messages.js';

/**
 * A sentence Guardia itself writes for people (why an action is disabled, why it is blocked), as the
 * message key and its parameters, so each face says it in its own language. The English text travels
 * beside it for the CLI, the journal and the logs. Parameters may hold outside text (an API server's
 * reason): the faces insert it as text, never as markup.
 */
export const saidSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type SaidRef = z.infer<typeof saidSchema>;

export interface Said {
  /** The sentence in English. */
  text: string;
  ref: SaidRef;
}

export function say(key: MessageKey, params?: Record<string, string | number>): Said {
  return { text: translate('en', key, params), ref: params ? { key, params } : { key } };
}
