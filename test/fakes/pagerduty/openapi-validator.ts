/**
 * Validates requests (and, on demand, responses) against PagerDuty's published OpenAPI description of
 * REST API v2 (../shared/apis/pagerduty-rest-subset.openapi.json, extracted unchanged from
 * PagerDuty/api-schema): the method and path exist, required headers are present and well-formed,
 * query parameters are known and of the right type, and the JSON body matches the schema (ajv).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

/** The media type PagerDuty uses as its version header. */
export const pagerDutyAcceptHeader = 'application/vnd.pagerduty+json;version=2';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Where the OpenAPI description lives: PAGERDUTY_OPENAPI, else the copy vendored beside this file
 * (unchanged from PagerDuty's public api-schema repository, so a clean clone tests without anything else).
 */
export function openApiPath(): string {
  const candidates = [
    process.env.PAGERDUTY_OPENAPI,
    join(repoRoot, 'test', 'fakes', 'pagerduty', 'pagerduty-rest-subset.openapi.json'),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`PagerDuty OpenAPI description not found (looked in ${candidates.join(', ')}); set PAGERDUTY_OPENAPI`);
  return found;
}

/** A parameter with its $ref resolved. */
interface Parameter {
  name: string;
  in: 'header' | 'query' | 'path';
  required?: boolean;
  schema?: Json;
}

/** One operation of the description, ready to match and validate. */
export interface Operation {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  pathNames: string[];
  parameters: Parameter[];
  bodyRef: string | null;
  bodyRequired: boolean;
  responses: string[];
}

/** A request as the fake received it. */
export interface IncomingRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

/** Why a request would be refused: HTTP status plus PagerDuty's error message and details. */
export interface Refusal {
  status: number;
  message: string;
  code: number;
  errors: string[];
}

/** A validated request: its operation, typed query values, path params and parsed body. */
export interface Accepted {
  op: Operation;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'];

/** Request validation for every operation of the description. */
export class OpenApiValidator {
  readonly spec: Json;
  readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(path = openApiPath()) {
    this.spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    (addFormatsModule as unknown as (ajv: Ajv) => Ajv)(this.ajv);
    // Formats the description uses that are not JSON Schema's own.
    this.ajv.addFormat('url', { type: 'string', validate: (s: string) => URL.canParse(s) });
    this.ajv.addFormat('tzinfo', { type: 'string', validate: (s: string) => validTimeZone(s) });
    this.ajv.addSchema(this.spec, 'pd');
    this.operations = this.buildOperations();
  }

  /** The operation for a method and path, or null; literal segments win over `{id}`. */
  match(method: string, path: string): { op: Operation; params: Record<string, string> } | null {
    for (const op of this.operations) {
      if (op.method !== method) continue;
      const m = op.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      op.pathNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { op, params };
    }
    return null;
  }

  /** Checks everything the description says about a request except Authorization (the fake's tokens decide). */
  validate(req: IncomingRequest): Accepted | Refusal {
    const found = this.match(req.method.toLowerCase(), req.path);
    if (!found) {
      const other = this.operations.some((o) => o.regex.test(req.path));
      return other
        ? refusal(405, 'Method Not Allowed', 2000, [`${req.method} is not an operation of ${req.path}`])
        : refusal(404, 'Not Found', 2100, [`No such endpoint: ${req.method} ${req.path}`]);
    }
    const { op, params } = found;
    const problems: string[] = [];
    // Headers: names are case-insensitive; Node lower-cases them.
    for (const p of op.parameters.filter((x) => x.in === 'header')) {
      const value = req.headers[p.name.toLowerCase()];
      if (value === undefined || value === '') {
        if (p.required) problems.push(`The "${p.name}" header is required`);
        continue;
      }
      if (p.name === 'Accept' && value !== pagerDutyAcceptHeader) {
        problems.push(`The Accept header must be "${pagerDutyAcceptHeader}" (got "${value}")`);
        continue;
      }
      const error = this.check(p.schema, value);
      if (error) problems.push(`The "${p.name}" header ${error}`);
    }
    // Query: only declared parameters; `name[]` carries every repetition.
    const declared = new Map(op.parameters.filter((x) => x.in === 'query').map((x) => [x.name, x]));
    const query: Record<string, unknown> = {};
    for (const name of new Set(req.query.keys())) {
      const p = declared.get(name);
      if (!p) {
        problems.push(`Unknown query parameter "${name}" for ${req.method} ${op.template}`);
        continue;
      }
      const values = req.query.getAll(name);
      const schema = p.schema ?? {};
      if (name.endsWith('[]')) {
        const itemSchema = schema.type === 'array' ? ((schema.items as Json | undefined) ?? {}) : schema;
        const items = values.map((v) => coerce(v, itemSchema));
        for (const item of items) {
          const error = this.check(itemSchema, item);
          if (error) problems.push(`Query parameter "${name}" value ${JSON.stringify(item)} ${error}`);
        }
        if (schema.uniqueItems && new Set(values).size !== values.length) problems.push(`Query parameter "${name}" repeats a value`);
        query[name] = items;
      } else {
        if (values.length > 1) problems.push(`Query parameter "${name}" is given ${values.length} times`);
        const value = schema.type === 'array' ? values[0]!.split(',').map((v) => coerce(v, (schema.items as Json) ?? {})) : coerce(values[0]!, schema);
        const error = this.check(schema, value);
        if (error) problems.push(`Query parameter "${name}" ${error}`);
        query[name] = value;
      }
    }
    for (const p of declared.values()) if (p.required && !req.query.has(p.name)) problems.push(`Query parameter "${p.name}" is required`);
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const error = this.check(p.schema, params[p.name]);
      if (error) problems.push(`Path parameter "${p.name}" ${error}`);
    }
    let body: unknown = undefined;
    if (op.bodyRef) {
      if (req.rawBody.trim() === '') {
        if (op.bodyRequired || ['put', 'post'].includes(op.method)) problems.push('A JSON request body is required');
      } else {
        try {
          body = JSON.parse(req.rawBody);
        } catch {
          problems.push('The request body is not valid JSON');
        }
        if (body !== undefined) {
          const validate = this.compile(op.bodyRef);
          if (!validate(body)) problems.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`));
        }
      }
    }
    if (problems.length) return refusal(400, 'Invalid Input Provided', 2001, problems);
    return { op, params, query, body };
  }

  /** Errors of a response body against the operation's schema for that status (empty when it matches or has none). */
  responseErrors(op: Operation, status: number, body: unknown): string[] {
    const key = op.responses.includes(String(status)) ? String(status) : null;
    if (!key) return [`${op.method.toUpperCase()} ${op.template} declares no ${status} response`];
    const ref = `pd#/paths/${pointer(op.template)}/${op.method}/responses/${key}`;
    const resolved = this.resolve(ref.slice(2)) as Json;
    const target = resolved.$ref ? String(resolved.$ref) : null;
    const content = ((target ? this.resolve(target) : resolved) as Json).content as Json | undefined;
    if (!content?.['application/json']) return [];
    const schemaRef = target ? `pd${target}/content/application~1json/schema` : `${ref}/content/application~1json/schema`;
    const validate = this.compile(schemaRef);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
  }

  private check(schema: Json | undefined, value: unknown): string | null {
    if (!schema) return null;
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate(value) ? null : (validate.errors ?? []).map((e) => e.message).join('; ');
  }

  private compile(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  /** A JSON pointer (`#/a/b`) into the description. */
  private resolve(ptr: string): unknown {
    return ptr
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Json)?.[key], this.spec);
  }

  private param(p: Json): Parameter {
    return (p.$ref ? this.resolve(String(p.$ref)) : p) as Parameter;
  }

  private buildOperations(): Operation[] {
    const ops: Operation[] = [];
    for (const [template, item] of Object.entries(this.spec.paths as Record<string, Json>)) {
      const shared = ((item.parameters as Json[] | undefined) ?? []).map((p) => this.param(p));
      for (const method of methods) {
        const raw = item[method] as Json | undefined;
        if (!raw) continue;
        const pathNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
        const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
        const requestBody = raw.requestBody as Json | undefined;
        const hasJson = Boolean((requestBody?.content as Json | undefined)?.['application/json']);
        ops.push({
          method,
          template,
          operationId: String(raw.operationId ?? `${method} ${template}`),
          regex,
          pathNames,
          parameters: [...shared, ...((raw.parameters as Json[] | undefined) ?? []).map((p) => this.param(p))],
          bodyRef: hasJson ? `pd#/paths/${pointer(template)}/${method}/requestBody/content/application~1json/schema` : null,
          bodyRequired: Boolean(requestBody?.required),
          responses: Object.keys((raw.responses as Json | undefined) ?? {}),
        });
      }
    }
    // Literal paths first: /incidents/count must not be read as /incidents/{id}.
    return ops.sort((a, b) => a.pathNames.length - b.pathNames.length);
  }
}

function pointer(template: string): string {
  return template.replace(/~/g, '~0').replace(/\//g, '~1');
}

function coerce(value: string, schema: Json): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A refusal in PagerDuty's error envelope terms. */
export function refusal(status: number, message: string, code: number, errors: string[] = []): Refusal {
  return { status, message, code, errors };
}

/** Whether `validate` refused the request. */
export function isRefusal(value: Accepted | Refusal): value is Refusal {
  return 'status' in value;
}
