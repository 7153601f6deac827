/**
 * Pure half of scripts/electronegativity.ts: Electronegativity exits 0 whatever it finds, so its
 * SARIF output is parsed here and every finding must be explained by a reviewed allowlist entry.
 */

/** One Electronegativity finding, with its file as a repository path ("N/A" for global checks). */
export type Finding = { check: string; file: string; line: number; message: string };

/** A reviewed exception: this check on this file is accepted, for this reason. */
export type AllowlistEntry = { check: string; file: string; reason: string };

/** The outcome CI acts on: unexplained findings fail, and so do stale entries (nothing to explain). */
export type CheckOutcome = { unexplained: Finding[]; explained: { finding: Finding; entry: AllowlistEntry }[]; stale: AllowlistEntry[] };

type Sarif = {
  runs?: {
    results?: {
      ruleId?: string;
      message?: { text?: string };
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
    }[];
  }[];
};

/**
 * Reads Electronegativity's SARIF (run with -r). `toRepoPath` maps the scanned file back to where it
 * lives in the repository (the scan runs over a staged copy); global checks report `file:///`.
 */
export function parseSarif(sarif: Sarif, toRepoPath: (scanned: string) => string): Finding[] {
  if (!Array.isArray(sarif.runs)) throw new Error('Electronegativity output is not SARIF: it has no "runs" array');
  return sarif.runs.flatMap((run) =>
    (run.results ?? []).map((r) => {
      const location = r.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      const global = uri === '' || uri === 'file:///' || uri === 'N/A';
      return {
        check: r.ruleId ?? 'UNKNOWN',
        file: global ? 'N/A' : toRepoPath(decodeURIComponent(uri.replace(/^file:\/\//, ''))),
        line: global ? 0 : (location?.region?.startLine ?? 0),
        message: r.message?.text ?? '',
      };
    }),
  );
}

/** Checks the allowlist's shape, so an entry without a reason cannot slip in. */
export function parseAllowlist(raw: unknown, where: string): AllowlistEntry[] {
  const entries = (raw as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new Error(`${where}: expected {"entries": [{check, file, reason}]}`);
  return entries.map((e: unknown, i) => {
    const { check, file, reason } = (e ?? {}) as Record<string, unknown>;
    if (typeof check !== 'string' || !check || typeof file !== 'string' || !file) {
      throw new Error(`${where}: entries[${i}] needs a check id and a file ("N/A" for global checks)`);
    }
    if (typeof reason !== 'string' || reason.trim().length < 20) {
      throw new Error(`${where}: entries[${i}] (${check} in ${file}) needs a reason a reviewer can check (20+ characters)`);
    }
    return { check, file, reason };
  });
}

/** Matches findings to entries by check id and file (not line: lines move, the decision does not). */
export function checkFindings(findings: Finding[], allowlist: AllowlistEntry[]): CheckOutcome {
  const used = new Set<AllowlistEntry>();
  const unexplained: Finding[] = [];
  const explained: CheckOutcome['explained'] = [];
  for (const finding of findings) {
    const entry = allowlist.find((e) => e.check === finding.check && e.file === finding.file);
    if (entry) {
      used.add(entry);
      explained.push({ finding, entry });
    } else {
      unexplained.push(finding);
    }
  }
  return { unexplained, explained, stale: allowlist.filter((e) => !used.has(e)) };
}
