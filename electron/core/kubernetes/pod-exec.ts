import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import WebSocket from 'ws';
import { GuardiaError } from '../../../shared/result.js';
import type { ExecResult } from '../ports.js';

/** The remotecommand subprotocols whose frames are binary (v5 adds stream close); older ones are base64 text. */
const channelProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** client-node's WebSocket seam for Exec (its own handler would end process.stdout on a v5 close frame). */
type ExecSocket = NonNullable<ConstructorParameters<typeof Exec>[1]>;

/** Output kept per stream: a script's last lines matter, not megabytes of them. */
const maxOutputBytes = 256 * 1024;

/** A Writable that keeps the last `maxOutputBytes` written to it. */
class TailBuffer extends Writable {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > maxOutputBytes && this.chunks.length > 1) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
    done();
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `… [${this.dropped} earlier bytes not kept]\n${text}` : text;
  }
}

/** The exit code the API server reports in a NonZeroExitCode status (details.causes[reason=ExitCode]). */
function exitCodeOf(status: V1Status): number | null {
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : null;
}

/**
 * `kubectl exec POD -c CONTAINER -- COMMAND...` without a TTY or stdin, through client-node's Exec
 * (the remotecommand WebSocket protocol). Never retried: the command may have side effects (retrying
 * payments), so a lost connection is reported as "may still be running", not run again.
 */
export async function execInPod(
  kc: KubeConfig,
  call: {
    namespace: string;
    pod: string;
    container: string;
    command: string[];
    timeoutMs: number;
    signal?: AbortSignal;
    /** A bearer token Guardia obtained itself (an exec credential plugin); client-node never runs plugins. */
    token?: () => Promise<string>;
    where: string;
  },
): Promise<Omit<ExecResult, 'note'>> {
  const stdout = new TailBuffer();
  const stderr = new TailBuffer();
  const headers: Record<string, string> = call.token ? { Authorization: `Bearer ${await call.token()}` } : {};
  const connect: ExecSocket = {
    async connect(path, _textHandler, binaryHandler) {
      const cluster = kc.getCurrentCluster();
      if (!cluster) throw new Error('the kubeconfig names no cluster');
      const opts: { headers?: Record<string, string> } & Record<string, unknown> = {};
      await kc.applyToHTTPSOptions(opts);
      const uri = `${cluster.server.replace(/^http/, 'ws').replace(/\/+$/, '')}${path}`;
      const ws = new WebSocket(uri, channelProtocols, { ...opts, headers: { ...opts.headers, ...headers }, handshakeTimeout: call.timeoutMs });
      return new Promise((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        // A refused upgrade carries the API server's Status (pods "x" not found, forbidden): read it
        // instead of ws's bare "Unexpected server response: 404".
        ws.once('unexpected-response', (req, res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 64 * 1024)));
          res.on('end', () => {
            reject(new Error(`HTTP ${res.statusCode}: ${statusText(body)}`));
            req.destroy();
          });
        });
        ws.on('message', (data: Buffer, isBinary: boolean) => {
          // v4/v5 frames are binary: [channel][payload]; 255 (v5) closes a stream, nothing to do without stdin.
          if (!isBinary || data.length === 0 || data[0] === 255) return;
          if (binaryHandler && !binaryHandler(data[0]!, data.subarray(1))) ws.close();
        });
      });
    },
  };
  const what = `"${call.command.join(' ')}" in pod ${call.pod} (container ${call.container}) of ${call.where}`;
  let status: V1Status | null = null;
  let socket: WebSocket;
  try {
    socket = (await new Exec(kc, connect).exec(call.namespace, call.pod, call.container, call.command, stdout, stderr, null, false, (s) => {
      status = s;
    })) as unknown as WebSocket;
  } catch (error) {
    throw new GuardiaError('kubernetes.exec-failed', `Could not start ${what}: ${(error as Error).message}`);
  }
  await new Promise<void>((resolve, reject) => {
    // A command that printed and ended at once may have closed the socket already.
    if (socket.readyState === WebSocket.CLOSED) return resolve();
    const fail = (message: string) => {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      socket.terminate();
      reject(new GuardiaError('kubernetes.exec-lost', `${message}: ${what} may still be running; check before running it again`));
    };
    const onAbort = () => fail('Cancelled while waiting');
    const timer = setTimeout(() => fail(`No end after ${Math.round(call.timeoutMs / 1000)} s`), call.timeoutMs);
    call.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('close', () => {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    socket.on('error', (error) => fail(`The connection failed (${error.message})`));
  });
  const final = status as V1Status | null;
  if (final === null) throw new GuardiaError('kubernetes.exec-lost', `The connection closed before the API server reported how ${what} ended; it may still be running`);
  const result = { pod: call.pod, container: call.container, stdout: stdout.text(), stderr: stderr.text() };
  if (final.status === 'Success') return { ...result, exitCode: 0 };
  const exitCode = exitCodeOf(final);
  if (exitCode !== null) return { ...result, exitCode };
  throw new GuardiaError('kubernetes.exec-failed', `${what} did not run: ${final.message ?? final.reason ?? 'the API server reported a failure'}`);
}

/** The message of a Kubernetes Status body, else the body itself (cut). */
function statusText(body: string): string {
  try {
    const status = JSON.parse(body) as Partial<V1Status>;
    if (typeof status.message === 'string' && status.message) return status.message;
  } catch {
    // not JSON: a proxy's page
  }
  return body.trim().slice(0, 300) || '(no body)';
}
