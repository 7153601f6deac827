/** One dispatched Server-Sent Events message. */
export type SseMessage = { event: string; data: string; id: string | null };

/**
 * Incremental parser for the `text/event-stream` format (WHATWG HTML §9.2.6). The browser client reads
 * events with fetch() streaming instead of EventSource because EventSource cannot send the
 * Authorization header the loopback server requires; this does the framing EventSource would do.
 * Chunks may split lines (and CRLF pairs) anywhere.
 */
export class SseParser {
  private buffer = '';
  private pendingCr = false;
  private eventName = '';
  private dataLines: string[] = [];
  private hasData = false;
  private lastId: string | null = null;
  /** Reconnection delay the server asked for with `retry:`, if any. */
  retryMs: number | null = null;

  /** The id of the last dispatched message, sent back as Last-Event-ID on reconnect. */
  get lastEventId(): string | null {
    return this.lastId;
  }

  feed(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let index: number;
    while ((index = this.buffer.search(/[\r\n]/)) !== -1) {
      const line = this.buffer.slice(0, index);
      const char = this.buffer[index];
      if (char === '\r') {
        if (index + 1 >= this.buffer.length) {
          this.pendingCr = true;
          this.buffer = '';
        } else {
          this.buffer = this.buffer.slice(index + (this.buffer[index + 1] === '\n' ? 2 : 1));
        }
      } else {
        this.buffer = this.buffer.slice(index + 1);
      }
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventName = value;
        break;
      case 'data':
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    const event = this.eventName || 'message';
    const data = this.dataLines.join('\n');
    const had = this.hasData;
    this.eventName = '';
    this.dataLines = [];
    this.hasData = false;
    return had ? { event, data, id: this.lastId } : null;
  }
}
