import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../renderer/src/api/sse-parser';

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const parser = new SseParser();
    const out = parser.feed('event: metrics.changed\ndata: {"time":1}\n\nevent: slos.changed\ndata: {"slos":[]}\n\n');
    expect(out).toEqual([
      { event: 'metrics.changed', data: '{"time":1}', id: null },
      { event: 'slos.changed', data: '{"slos":[]}', id: null },
    ]);
  });

  it('handles chunks split anywhere, including inside CRLF', () => {
    const parser = new SseParser();
    const text = 'event: alerts.changed\r\ndata: {"a":\r\ndata: 1}\r\nid: 7\r\n\r\n';
    const out = [];
    for (const char of text) out.push(...parser.feed(char));
    expect(out).toEqual([{ event: 'alerts.changed', data: '{"a":\n1}', id: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('ignores comments (keep-alives), defaults the name to message, and reads retry', () => {
    const parser = new SseParser();
    const out = parser.feed(': ping\n\nretry: 5000\ndata:x\n\nevent: only-name\n\n');
    expect(out).toEqual([{ event: 'message', data: 'x', id: null }]);
    expect(parser.retryMs).toBe(5000);
  });
});
