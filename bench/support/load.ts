// Drives HTTP load with autocannon and reduces its result to the numbers the benchmarks report.
import autocannon from 'autocannon';

export type LoadRequest = {
  url: string;
  method: 'POST' | 'GET';
  headers?: Record<string, string>;
  body?: string;
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

/** Sends load for `duration` seconds, or until `amount` requests are answered when given. */
export function applyLoad(
  request: LoadRequest,
  options: { connections: number; duration?: number; amount?: number; progress?: (line: string) => void },
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let reported = 0;
    const instance = autocannon(
      {
        ...request,
        connections: options.connections,
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
