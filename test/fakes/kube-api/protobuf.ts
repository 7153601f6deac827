/**
 * Just enough of Kubernetes' protobuf encoding to read what kubectl sends as protobuf (its typed
 * clients do so for authorization.k8s.io): the `k8s\0` envelope (runtime.Unknown) and the wire format.
 */

type Field = { no: number; value: bigint | Buffer };

function readVarint(buf: Buffer, at: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  let i = at;
  for (;;) {
    const b = buf[i++];
    if (b === undefined) throw new Error('truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, i];
    shift += 7n;
  }
}

/** Decodes one message into its fields (varints and length-delimited; fixed-size fields skipped). */
export function readFields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  while (i < buf.length) {
    const [key, next] = readVarint(buf, i);
    i = next;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, n] = readVarint(buf, i);
      out.push({ no, value: v });
      i = n;
    } else if (wire === 2) {
      const [len, n] = readVarint(buf, i);
      out.push({ no, value: buf.subarray(n, n + Number(len)) });
      i = n + Number(len);
    } else if (wire === 1) {
      i += 8;
    } else if (wire === 5) {
      i += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
  return out;
}

function str(fields: Field[], no: number): string | undefined {
  const f = fields.find((x) => x.no === no);
  return f && Buffer.isBuffer(f.value) ? f.value.toString('utf8') : undefined;
}

function sub(fields: Field[], no: number): Field[] | undefined {
  const f = fields.find((x) => x.no === no);
  return f && Buffer.isBuffer(f.value) ? readFields(f.value) : undefined;
}

/** The kind and raw bytes inside a `k8s\0` envelope, or undefined when the body is not one. */
export function unwrapEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } | undefined {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') return undefined;
  const unknown = readFields(body.subarray(4));
  const typeMeta = sub(unknown, 1) ?? [];
  const raw = unknown.find((x) => x.no === 2)?.value;
  return { apiVersion: str(typeMeta, 1) ?? '', kind: str(typeMeta, 2) ?? '', raw: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0) };
}

/** authorization.k8s.io/v1 SelfSubjectAccessReview (protobuf) as its JSON form. */
export function decodeSelfSubjectAccessReview(raw: Buffer): Record<string, unknown> {
  const review = readFields(raw);
  const spec = sub(review, 2) ?? [];
  const spec2: Record<string, unknown> = {};
  const ra = sub(spec, 1);
  if (ra) {
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    const attrs: Record<string, string> = {};
    names.forEach((n, i) => {
      const v = str(ra, i + 1);
      if (v) attrs[n] = v;
    });
    spec2.resourceAttributes = attrs;
  }
  const nra = sub(spec, 2);
  if (nra) spec2.nonResourceAttributes = { path: str(nra, 1) ?? '', verb: str(nra, 2) ?? '' };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: spec2 };
}
