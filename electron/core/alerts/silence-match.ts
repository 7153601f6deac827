import type { SilenceMatcher } from '../ports.js';

/**
 * Whether a silence's matchers select an alert's labels, as Alertmanager decides it: every matcher
 * must hold; `isEqual: false` negates; regex matchers are anchored (`^(?:re)$`); a missing label is "".
 */
export function matchesAll(matchers: readonly SilenceMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? '';
    const hit = m.isRegex ? anchored(m.value).test(value) : value === m.value;
    return m.isEqual === false ? !hit : hit;
  });
}

const regexCache = new Map<string, RegExp>();

function anchored(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

/** Refuses matchers Alertmanager would refuse, with a message naming the bad one. */
export function validateMatchers(matchers: readonly SilenceMatcher[]): string | null {
  if (matchers.length === 0) return 'a silence needs at least one matcher';
  for (const m of matchers) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.name)) return `matcher name "${m.name}" is not a valid label name`;
    if (m.isRegex) {
      try {
        new RegExp(m.value);
      } catch {
        return `matcher ${m.name}=~"${m.value}" is not a valid regular expression`;
      }
    }
  }
  // Alertmanager refuses a silence whose matchers all match the empty string (it would silence everything).
  if (matchers.every((m) => matchesAll([m], {}))) return 'at least one matcher must not match an empty label (that would silence every alert)';
  return null;
}
