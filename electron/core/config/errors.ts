import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { GuardiaError } from '../../../shared/result.js';

/** One problem in a config or pack file, located at the YAML node that caused it (1-based). */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Thrown by the pack and config loaders when anything is wrong. It carries every issue found, not just
 * the first, so `guardia check` and the startup error screen can list them all with their positions.
 */
export class ConfigError extends GuardiaError {
  constructor(
    readonly issues: ConfigIssue[],
    summary = 'invalid configuration',
  ) {
    super('config.invalid', [`${summary}:`, ...formatIssues(issues)].join('\n'), { issues });
    this.name = 'ConfigError';
  }
}

/** Renders issues the way compilers do (`file:line:column: message`), one line each, so editors can jump to them. */
export function formatIssues(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`);
}

/** Whether a thrown value is a ConfigError (also across module copies, e.g. in a bundled CLI). */
export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError || (e instanceof GuardiaError && e.code === 'config.invalid' && 'issues' in e);
}

type PathSegment = PropertyKey;

interface Located {
  line: number;
  column: number;
}

/**
 * A parsed YAML file that remembers where each node came from, so a problem found in the data (by zod or
 * by a cross-check) can be reported at the line and column of the node that holds it.
 */
export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    /** The file's data as plain JS; undefined when the file has syntax errors. */
    readonly value: unknown,
    /** Syntax errors (and errors turning the document into data), already located. */
    readonly syntaxIssues: ConfigIssue[],
  ) {}

  /** Parses `text` (the contents of `file`). Never throws: syntax problems end up in `syntaxIssues`. */
  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (offset: number): Located => {
      const pos = lines.linePos(offset);
      return { line: pos.line, column: pos.col };
    };
    const syntaxIssues: ConfigIssue[] = doc.errors.map((e) => ({
      file,
      ...at(e.pos[0]),
      message: `YAML syntax error: ${firstLine(e.message)}`,
    }));
    let value: unknown;
    if (syntaxIssues.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        // e.g. an alias to an anchor that is defined later, or an alias bomb.
        syntaxIssues.push({ file, line: 1, column: 1, message: `YAML error: ${firstLine(String(e))}` });
      }
    }
    return new YamlSource(file, doc, lines, value, syntaxIssues);
  }

  /** Whether the file holds no document at all (empty or only comments). */
  get empty(): boolean {
    return this.doc.contents === null;
  }

  /**
   * Where the value at `path` is. A scalar points at itself; a mapping or list reached through a key
   * points at that key. When the path does not exist (a missing key), it points at the deepest part that
   * does: the key holding the mapping the missing key belongs in.
   */
  locate(path: readonly PathSegment[]): Located {
    let node: unknown = this.doc.contents;
    let keyNode: unknown = null;
    let best = this.start(node) ?? { line: 1, column: 1 };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) return best;
        keyNode = pair.key;
        const value = pair.value;
        const isLast = i === path.length - 1;
        if (value === null || (isScalar(value) && value.value === null && !value.source)) {
          // `key:` with nothing after it: the key is all there is to point at.
          return this.start(keyNode) ?? best;
        }
        best = (isLast && isScalar(value) ? this.start(value) : this.start(keyNode)) ?? best;
        node = value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item: unknown = node.items[seg];
        if (item === undefined || item === null) return best;
        keyNode = null;
        best = this.start(item) ?? best;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  }

  /** Where the key `key` of the mapping at `path` is (for unknown-key problems); falls back to the mapping. */
  locateKey(path: readonly PathSegment[], key: string): Located {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(node)) node = node.items.find((p) => keyText(p.key) === String(seg))?.value;
      else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
      else return this.locate(path);
    }
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === key);
      const pos = pair ? this.start(pair.key) : null;
      if (pos) return pos;
    }
    return this.locate(path);
  }

  /** Builds an issue located at `path`. */
  issueAt(path: readonly PathSegment[], message: string): ConfigIssue {
    return { file: this.file, ...this.locate(path), message };
  }

  /** Turns zod's issues into located, plain-English ones. `unknownKey` may replace the message for a key. */
  zodIssues(issues: readonly z.core.$ZodIssue[], unknownKey?: (key: string) => string | undefined): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const message = unknownKey?.(key) ?? `unknown key "${key}"`;
          out.push({ file: this.file, ...this.locateKey(issue.path, key), message });
        }
        continue;
      }
      out.push(this.issueAt(issue.path, describeIssue(issue, valueAt(this.value, issue.path))));
    }
    return out;
  }

  private start(node: unknown): Located | null {
    if (node && typeof node === 'object' && 'range' in node) {
      const range = (node as { range?: [number, number, number] | null }).range;
      if (range) {
        const pos = this.lines.linePos(range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return null;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (isPair(key)) return undefined;
  return key === null || key === undefined ? undefined : String(key);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** The plain JS value at `path`, or undefined when the path does not exist. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Describes a value the way an error message quotes it: `string "99.9%"`, `number 5`, `a list`... */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'an empty value',
  date: 'a date',
};

function quote(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** What a type, enum or discriminator issue expected (`expected a number`), or null for other issues. */
function expectation(issue: z.core.$ZodIssue): string | null {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeNames[issue.expected] ?? issue.expected}`;
    case 'invalid_value': {
      const values = issue.values.map(quote);
      return values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(', ')}`;
    }
    case 'invalid_union': {
      const detail = issue as { discriminator?: string; options?: unknown[] };
      return detail.discriminator && detail.options ? `expected one of ${detail.options.map(quote).join(', ')}` : null;
    }
    default:
      return null;
  }
}

/** One zod issue in plain English, e.g. `expected a number, got string "99.9%"`. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const last = issue.path[issue.path.length - 1];
  const expected = expectation(issue);
  if (value === undefined && typeof last === 'string' && expected !== null) {
    return `missing key "${last}" (${expected})`;
  }
  const got = describeValue(value);
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_value':
      return `${expected}, got ${got}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      const bound = issue.exact ? 'exactly' : small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
      if (issue.origin === 'array' || issue.origin === 'set') {
        const count = Array.isArray(value) ? `, got ${value.length}` : '';
        return `expected ${bound} ${String(limit)} item${Number(limit) === 1 ? '' : 's'}${count}`;
      }
      if (issue.origin === 'string') {
        if (small && Number(limit) === 1) return 'must not be empty';
        return `expected ${bound} ${String(limit)} characters, got ${got}`;
      }
      return `expected a number ${bound} ${String(limit)}, got ${got}`;
    }
    case 'invalid_format': {
      const custom = !issue.message.startsWith('Invalid');
      if (custom) return `${issue.message}, got ${got}`;
      if (issue.format === 'regex' && 'pattern' in issue) return `expected text matching ${String(issue.pattern)}, got ${got}`;
      if (issue.format === 'includes' && 'includes' in issue) return `expected text containing ${quote(issue.includes)}, got ${got}`;
      if (issue.format === 'url') return `expected a URL, got ${got}`;
      if (issue.format === 'email') return `expected an email address, got ${got}`;
      return `expected ${issue.format} text, got ${got}`;
    }
    case 'invalid_union':
      return expected === null ? `${got} matches none of the allowed shapes` : `${expected}, got ${got}`;
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((i) => describeIssue(i, value)).join('; ')}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}, got ${got}`;
    default:
      return issue.message;
  }
}
