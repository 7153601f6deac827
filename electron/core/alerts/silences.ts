import type { Alert, Silence } from '../../../shared/domain.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext } from '../core-module.js';
import type { AlertSource, GettableSilence, SilenceMatcher } from '../ports.js';
import { matchesAll, validateMatchers } from './silence-match.js';

/** How many matching alerts a preview lists (the total is always exact). */
const previewLimit = 200;

type SilencingSource = AlertSource & Required<Pick<AlertSource, 'listSilences' | 'createSilence' | 'expireSilence'>>;

function canSilence(s: AlertSource): s is SilencingSource {
  return typeof s.listSilences === 'function' && typeof s.createSilence === 'function' && typeof s.expireSilence === 'function';
}

/**
 * Silences through the AlertSource port (Alertmanager v2 or the demo). Creating or expiring one
 * changes production alerting, so both need the environment's name typed back, are journaled before
 * and after, and are never retried. In an HA pair the first Alertmanager takes the write; the cluster
 * gossips it to its peers (Alertmanager's own model).
 */
export class SilenceService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly sources: AlertSource[],
    private readonly activeAlerts: () => Alert[],
  ) {}

  get supported(): boolean {
    return this.sources.some(canSilence);
  }

  private writer(): SilencingSource {
    const s = this.sources.find(canSilence);
    if (!s) throw new GuardiaError('silences.unsupported', `Environment "${this.ctx.environment.id}" has no Alertmanager that can silence`);
    return s;
  }

  async list(): Promise<Silence[]> {
    const silencing = this.sources.filter(canSilence);
    const results = await Promise.allSettled(silencing.map((s) => s.listSilences()));
    const byId = new Map<string, Silence>();
    const failures: string[] = [];
    results.forEach((r, i) => {
      const source = silencing[i]!.name;
      if (r.status === 'rejected') return void failures.push(`${source}: ${(r.reason as Error).message}`);
      for (const raw of r.value) {
        const seen = byId.get(raw.id);
        if (seen) seen.sources = [...new Set([...seen.sources, source])];
        else byId.set(raw.id, toSilence(raw, source));
      }
    });
    if (silencing.length > 0 && failures.length === silencing.length) throw new GuardiaError('silences.down', failures.join('; '));
    const order = { active: 0, pending: 1, expired: 2 } as const;
    return [...byId.values()].sort((a, b) => order[a.state] - order[b.state] || b.startsAt - a.startsAt);
  }

  /** The active alerts these matchers would silence, as Alertmanager would match them. */
  preview(matchers: SilenceMatcher[]): { alerts: Alert[]; total: number; problem: string | null } {
    const problem = validateMatchers(matchers);
    if (problem) return { alerts: [], total: 0, problem };
    const matched = this.activeAlerts().filter((a) => matchesAll(matchers, a.labels));
    return { alerts: matched.slice(0, previewLimit), total: matched.length, problem: null };
  }

  private checkConfirm(confirm: string): void {
    if (this.ctx.environment.readOnly) {
      throw new GuardiaError('silences.read-only', `Environment "${this.ctx.environment.id}" is read-only: silences cannot be changed`);
    }
    if (confirm.trim() !== this.ctx.environment.id) {
      throw new GuardiaError('silences.not-confirmed', `Type the environment's name "${this.ctx.environment.id}" to confirm; nothing was changed`);
    }
  }

  async create(req: { matchers: SilenceMatcher[]; durationMinutes: number; author?: string; comment: string; confirm: string }): Promise<{ id: string; journalId: string; matched: number }> {
    this.checkConfirm(req.confirm);
    const problem = validateMatchers(req.matchers);
    if (problem) throw new GuardiaError('silences.invalid', `The silence was not created: ${problem}`);
    const source = this.writer();
    const now = this.ctx.clock.now();
    const silence = {
      matchers: req.matchers,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + req.durationMinutes * 60_000).toISOString(),
      createdBy: req.author ?? this.ctx.actor,
      comment: req.comment,
    };
    const matched = this.preview(req.matchers).total;
    const text = req.matchers.map(matcherText).join(', ');
    const base = { actor: this.ctx.actor, environment: this.ctx.environment.id, source: `alertmanager:${source.name}` };
    const data = { operation: 'silence.create', target: text, matchers: req.matchers, durationMinutes: req.durationMinutes, createdBy: silence.createdBy, comment: req.comment, matched };
    const started = await this.ctx.journal.append({ ...base, kind: 'action.started', summary: `Silencing {${text}} for ${req.durationMinutes} min (${matched} active alerts match)`, data });
    try {
      const id = await source.createSilence(silence);
      await this.ctx.journal.append({ ...base, kind: 'action.finished', summary: `Silence ${id} created`, data: { ...data, startedId: started.id, outcome: 'ok', silenceId: id } });
      return { id, journalId: started.id, matched };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.ctx.journal.append({ ...base, kind: 'action.finished', summary: `Failed: ${message}`, data: { ...data, startedId: started.id, outcome: 'error' } });
      throw new GuardiaError('silences.create-failed', message);
    }
  }

  async expire(req: { id: string; confirm: string }): Promise<{ journalId: string }> {
    this.checkConfirm(req.confirm);
    const source = this.writer();
    const base = { actor: this.ctx.actor, environment: this.ctx.environment.id, source: `alertmanager:${source.name}` };
    const data = { operation: 'silence.expire', target: req.id, silenceId: req.id };
    const started = await this.ctx.journal.append({ ...base, kind: 'action.started', summary: `Expiring silence ${req.id}`, data });
    try {
      await source.expireSilence(req.id);
      await this.ctx.journal.append({ ...base, kind: 'action.finished', summary: `Silence ${req.id} expired`, data: { ...data, startedId: started.id, outcome: 'ok' } });
      return { journalId: started.id };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.ctx.journal.append({ ...base, kind: 'action.finished', summary: `Failed: ${message}`, data: { ...data, startedId: started.id, outcome: 'error' } });
      throw new GuardiaError('silences.expire-failed', message);
    }
  }
}

/** `alertname="HighErrorRate"`, `instance=~"api-.*"`, `team!="sre"`: as amtool writes matchers. */
export function matcherText(m: SilenceMatcher): string {
  const op = m.isEqual === false ? (m.isRegex ? '!~' : '!=') : m.isRegex ? '=~' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

function toSilence(raw: GettableSilence, source: string): Silence {
  return {
    id: raw.id,
    matchers: raw.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual ?? true })),
    startsAt: Date.parse(raw.startsAt),
    endsAt: Date.parse(raw.endsAt),
    createdBy: raw.createdBy,
    comment: raw.comment,
    state: raw.status.state,
    sources: [source],
  };
}
