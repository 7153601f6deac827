import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ResponseContext, SelfDecodingBody, wrapHttpLibrary, type RequestContext } from '@kubernetes/client-node';

/**
 * client-node's HTTP transport over node:http(s) instead of its default node-fetch 2, which never
 * notices a body cut short when the server sent a Content-Length (it pipes the response without
 * forwarding the socket's abort), so a truncated answer hung until the request timeout. Everything
 * client-node prepared is used as is: URL, method, headers, body, the TLS agent (CA, client
 * certificates) and the abort signal.
 */
export const kubeTransport = wrapHttpLibrary({ send });

function send(ctx: RequestContext): Promise<ResponseContext> {
  const url = new URL(ctx.getUrl());
  const raw = ctx.getBody();
  const body = raw === undefined ? undefined : typeof raw === 'string' ? raw : String(raw);
  const headers: Record<string, string> = { ...ctx.getHeaders() };
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: ctx.getHttpMethod(), headers, agent: ctx.getAgent(), signal: ctx.getSignal() }, (res) => {
      const content = new Promise<Buffer>((done, fail) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
        });
        res.on('end', () => done(Buffer.concat(chunks)));
        res.on('close', () => {
          if (res.complete) return;
          const expected = res.headers['content-length'];
          fail(new Error(`the connection closed mid-body (${received}${expected ? ` of ${expected}` : ''} bytes received)`));
        });
        res.on('error', () => {}); // 'close' above says what happened, with the byte count
      });
      // client-node reads the body of every answer; a body it never reads must not be an unhandled rejection.
      content.catch(() => {});
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
      resolve(new ResponseContext(res.statusCode ?? 0, responseHeaders, new SelfDecodingBody(content)));
    });
    req.on('error', reject);
    req.end(body);
  });
}
