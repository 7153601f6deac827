/**
 * pods/exec over WebSocket for the fake Kubernetes API: the remotecommand channel protocol as
 * kube-apiserver 1.32 speaks it. The fake checks the request (fake-kube-api.ts) and hands the
 * upgrade here; a session runs a command responder a test registered with `onExec` in place of the
 * container, and answers on the channels the client asked for.
 *
 * Frames are binary for every subprotocol the fake negotiates, the first byte naming the channel:
 * 0 stdin, 1 stdout, 2 stderr, 3 error (the final status), 4 resize, and, in v5 only, 255 = "the
 * channel in the next byte is closed". What the error channel carries depends on who answers in a
 * real cluster: for v5 the API server's stream translator (which re-wraps what the kubelet said),
 * for v4 the kubelet itself (a metav1.Status as JSON), for channel.k8s.io and the v2/v3 names the
 * pre-v4 kubelet (a plain-text message on failure, nothing on success).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StatusCause } from './types.js';

/** Subprotocols the fake accepts, the client's first one in this order wins (client-node offers all five). */
export const execSubprotocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** One exec a responder is asked to answer. */
export interface ExecCall {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** Everything the client wrote to stdin, up to its close of the channel (empty without stdin=true). */
  stdin: string;
  tty: boolean;
  /** The authenticated user. */
  user: string;
}

/** What the "container" did: output, then its exit code (default 0) after `delayMs`. */
export interface ExecReply {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  delayMs?: number;
}

/** Answers an exec, or returns undefined to let an older responder (or "executable not found") answer. */
export type ExecResponder = (call: ExecCall) => ExecReply | undefined | Promise<ExecReply | undefined>;

/** The streams and target of an exec, as the fake resolved them before upgrading. */
export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
  /** Whether the container is running: the kubelet finds no other to exec into. */
  running: boolean;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  user: string;
}

/** The error channel's metav1.Status (no kind/apiVersion: the kubelet and the translator marshal Status bare). */
interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: StatusCause[] };
  code?: number;
}

/** How a command ended, before the protocol decides the wording. */
type Outcome =
  | { kind: 'exited'; code: number }
  | { kind: 'runtimeError'; message: string }
  | { kind: 'containerNotFound' };

const channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
/** The kubelet copies with io.Copy's 32 KiB buffer: long output reaches the client in several frames. */
const chunkBytes = 32 * 1024;

/** An exec query's options, with the API server's boolean parsing (strconv.ParseBool). */
export function execOptionsOf(query: URLSearchParams): { command: string[]; container?: string; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean } {
  const flag = (name: string) => ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(query.get(name) ?? '');
  const tty = flag('tty');
  return {
    command: query.getAll('command'),
    container: query.get('container') || undefined,
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    // The kubelet drops stderr under a TTY: the terminal merges it into stdout.
    stderr: flag('stderr') && !tty,
    tty,
  };
}

/** Whether a request asks for a WebSocket (kubectl's SPDY fallback asks for `SPDY/3.1` instead). */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols a WebSocket request offers, in its order. */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The subprotocol the fake picks from an offer: ours in preference order, never one the client did not offer. */
export function pickSubprotocol(offered: Iterable<string>): string | undefined {
  const set = new Set(offered);
  return execSubprotocols.find((p) => set.has(p));
}

const statusJson = (s: ExecStatus) => JSON.stringify(s);

const internalError = (err: string): ExecStatus => ({
  metadata: {},
  status: 'Failure',
  message: `Internal error occurred: ${err}`,
  reason: 'InternalError',
  details: { causes: [{ message: err }] },
  code: 500,
});

const nonZeroExit = (message: string, code: number): ExecStatus => ({
  metadata: {},
  status: 'Failure',
  message: `command terminated with non-zero exit code: ${message}`,
  reason: 'NonZeroExitCode',
  details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
});

/**
 * The error channel's payload for an outcome under a subprotocol; undefined when nothing is sent.
 * `command` is Go's %v of the argv, as containerd words a non-zero exit.
 */
function statusFrame(protocol: string, outcome: Outcome, command: string[], container: string): string | undefined {
  const notFound = `unable to upgrade connection: container not found ("${container}")`;
  // What the kubelet writes (kubelet/pkg/cri/streaming/remotecommand/exec.go over containerd).
  const kubelet = (): ExecStatus => {
    switch (outcome.kind) {
      case 'exited':
        return outcome.code === 0
          ? { metadata: {}, status: 'Success' }
          : nonZeroExit(`error executing command [${command.join(' ')}], exit code ${outcome.code}`, outcome.code);
      case 'runtimeError':
        return internalError(`error executing command in container: ${outcome.message}`);
      case 'containerNotFound':
        return internalError(notFound);
    }
  };
  if (protocol === 'v5.channel.k8s.io') {
    // The API server's stream translator reached the kubelet over SPDY and re-reports what it decoded:
    // an exit code as its own CodeExitError, anything else wrapped in a second InternalError.
    switch (outcome.kind) {
      case 'exited':
        return statusJson(outcome.code === 0 ? kubelet() : nonZeroExit(`command terminated with exit code ${outcome.code}`, outcome.code));
      case 'runtimeError':
        return statusJson(internalError(kubelet().message!));
      case 'containerNotFound':
        // The SPDY upgrade to the kubelet failed: one wrapping only.
        return statusJson(internalError(notFound));
    }
  }
  const status = kubelet();
  if (protocol === 'v4.channel.k8s.io') return statusJson(status);
  return status.status === 'Success' ? undefined : status.message;
}

/** containerd's error for a command the image does not have (runc's wording, with a fresh exec id). */
function executableNotFound(command: string[]): string {
  const execId = randomBytes(32).toString('hex');
  return `failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0] ?? ''}": executable file not found in $PATH: unknown`;
}

/** Open exec sessions and the responders that answer them. */
export class ExecSessions {
  private readonly responders: ExecResponder[] = [];
  private readonly open = new Set<WebSocket>();
  private readonly stopping = new AbortController();
  private readonly wss = new WebSocketServer({
    noServer: true,
    // Returning false for an offer with nothing we speak would accept without a subprotocol; the fake
    // refuses such requests before upgrading (fake-kube-api.ts), so this always finds one.
    handleProtocols: (offered) => pickSubprotocol(offered) ?? false,
  });

  /** Adds a responder, tried before the ones added earlier; returns its removal. */
  onExec(responder: ExecResponder): () => void {
    this.responders.unshift(responder);
    return () => {
      const at = this.responders.indexOf(responder);
      if (at >= 0) this.responders.splice(at, 1);
    };
  }

  /** Upgrades and runs the exec. */
  serve(req: IncomingMessage, socket: Duplex, head: Buffer, target: ExecTarget): void {
    this.upgrade(req, socket, head, (ws) => {
      this.run(ws, target).catch(() => ws.terminate());
    });
  }

  /** Fault "hang": upgrades, then says nothing until the client gives up or stop(). */
  hang(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrade(req, socket, head, () => {});
  }

  /** Fault "truncated": upgrades, then drops the connection with no status and no close frame. */
  drop(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrade(req, socket, head, (ws) => setTimeout(() => ws.terminate(), 10));
  }

  /** Ends every session at once (the server is stopping). */
  closeAll(): void {
    this.stopping.abort();
    for (const ws of this.open) ws.terminate();
    this.wss.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.open.add(ws);
      ws.on('close', () => this.open.delete(ws));
      then(ws);
    });
  }

  private async run(ws: WebSocket, target: ExecTarget): Promise<void> {
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    // Listening starts before the first await: frames the client sends at once are not lost.
    const stdin = this.readStdin(ws, target.stdin, v5);
    // Like the kubelet and the translator: an empty frame on the lowest writable channel says "ready".
    ws.send(Buffer.from([target.stdout ? channel.stdout : target.stderr ? channel.stderr : channel.error]));

    let outcome: Outcome;
    let reply: ExecReply = {};
    if (!target.running) {
      outcome = { kind: 'containerNotFound' };
    } else {
      const call: ExecCall = {
        namespace: target.namespace,
        pod: target.pod,
        container: target.container,
        command: target.command,
        stdin: await stdin,
        tty: target.tty,
        user: target.user,
      };
      try {
        const answer = await this.answer(call);
        if (answer) {
          reply = answer;
          outcome = { kind: 'exited', code: answer.exitCode ?? 0 };
        } else {
          outcome = { kind: 'runtimeError', message: executableNotFound(target.command) };
        }
      } catch (error) {
        // A responder that throws is a broken test double: say so where the caller will read it.
        outcome = { kind: 'runtimeError', message: `fake responder failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (reply.delayMs) await sleep(reply.delayMs, this.stopping.signal);
    }
    if (ws.readyState !== ws.OPEN) return;

    // Under a TTY the terminal merges stderr into stdout.
    const out = target.tty ? `${reply.stdout ?? ''}${reply.stderr ?? ''}` : (reply.stdout ?? '');
    if (target.stdout) sendChunked(ws, channel.stdout, out);
    if (target.stderr) sendChunked(ws, channel.stderr, reply.stderr ?? '');
    const status = statusFrame(ws.protocol, outcome, target.command, target.container);
    if (status !== undefined) ws.send(Buffer.concat([Buffer.from([channel.error]), Buffer.from(status)]));
    ws.close(1000);
  }

  /** The newest responder's answer that is not undefined. */
  private async answer(call: ExecCall): Promise<ExecReply | undefined> {
    for (const responder of [...this.responders]) {
      const reply = await responder(call);
      if (reply !== undefined) return reply;
    }
    return undefined;
  }

  /**
   * Stdin up to the client's v5 close of channel 0, or the end of the connection (before v5 there is
   * no half-close). Resize frames are accepted and ignored: the fake has no terminal to size.
   */
  private readStdin(ws: WebSocket, wanted: boolean, v5: boolean): Promise<string> {
    if (!wanted) return Promise.resolve('');
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const done = () => {
        ws.off('message', onMessage);
        ws.off('close', done);
        resolve(Buffer.concat(chunks).toString('utf8'));
      };
      const onMessage = (data: RawData) => {
        const frame = toBuffer(data);
        if (frame[0] === channel.stdin) chunks.push(frame.subarray(1));
        else if (v5 && frame[0] === channel.close && frame[1] === channel.stdin) done();
      };
      ws.on('message', onMessage);
      ws.on('close', done);
    });
  }
}

function sendChunked(ws: WebSocket, ch: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    ws.send(Buffer.concat([Buffer.from([ch]), bytes.subarray(at, at + chunkBytes)]));
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
