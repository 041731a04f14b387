// Drives HTTP load with autocannon and reduces its result to the numbers the benchmarks report.
import autocannon from 'autocannon';

export type LoadRequest = {
  url: string;
  method: 'POST' | 'GET';
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request: headers and body that change from one request to the next. */
  vary?: () => { headers: Record<string, string>; body: string };
};

export type Measurement = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
};

function autocannonRequest(request: LoadRequest) {
  const { vary, ...fixed } = request;
  if (!vary) return fixed;
  const url = new URL(request.url);
  return {
    url: url.origin,
    requests: [
      {
        method: request.method,
        path: url.pathname + url.search,
        setupRequest: (sent: Record<string, unknown>) => {
          const next = vary();
          return { ...sent, headers: { ...request.headers, ...next.headers }, body: next.body };
        },
      },
    ],
  };
}

/**
 * Sends load for `duration` seconds, or until `amount` requests are answered when given. Closed loop
 * by default (each connection sends its next request when the last is answered); with `rate`, at
 * most that many requests a second in all, as devices polling on their own clocks do.
 */
export function applyLoad(
  request: LoadRequest,
  options: {
    connections: number;
    duration?: number;
    amount?: number;
    rate?: number;
    progress?: (line: string) => void;
  },
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let reported = 0;
    const instance = autocannon(
      {
        ...(autocannonRequest(request) as autocannon.Options),
        connections: options.connections,
        ...(options.rate ? { overallRate: options.rate } : {}),
        ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requestsPerSecond: result['2xx'] / result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          seconds: result.duration,
        });
      },
    );
    if (options.progress && options.duration) {
      const report = options.progress;
      const duration = options.duration;
      instance.on('tick', () => {
        const second = Math.floor((Date.now() - started) / 5000) * 5;
        if (second <= reported || second >= duration) return;
        reported = second;
        report(`${second}/${duration} s`);
      });
    }
  });
}
