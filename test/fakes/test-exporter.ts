import { createServer, type Server } from 'node:http';

/**
 * A Prometheus exporter whose counters grow at known rates, so a test knows exactly which error ratio
 * and availability real Prometheus will compute from them (`rate()` of a linear counter is its slope).
 */
export interface TestExporter {
  url: string;
  port: number;
  /** Requests per second by status code; change it to drive the SLI (e.g. into errors). */
  setRates(rates: Record<string, number>): void;
  stop(): Promise<void>;
}

export async function startTestExporter(initial: Record<string, number>): Promise<TestExporter> {
  let rates = { ...initial };
  const counts: Record<string, number> = {};
  let last = Date.now();
  const advance = () => {
    const now = Date.now();
    const dt = (now - last) / 1000;
    last = now;
    for (const [status, rate] of Object.entries(rates)) counts[status] = (counts[status] ?? 0) + rate * dt;
  };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    advance();
    const lines = ['# HELP http_requests_total Total HTTP requests', '# TYPE http_requests_total counter'];
    for (const [status, count] of Object.entries(counts)) {
      lines.push(`http_requests_total{endpoint="/api/checkout",method="POST",status="${status}"} ${count.toFixed(3)}`);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setRates(next) {
      advance();
      rates = { ...next };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
