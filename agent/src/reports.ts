// Report events (docs/device-protocol.md, "Reports"): queued, sent in batches of up to 100, and kept
// for the next attempt unless the server answers 200 (it answers only once they are stored).
import type { Authorizer } from './credentials.ts';

export type ReportKind =
  | 'download-started'
  | 'download-finished'
  | 'download-failed'
  | 'install-succeeded'
  | 'install-failed'
  | 'running';

export type ReportEvent = {
  kind: ReportKind;
  releaseId?: string;
  version?: string;
  errorCode?: string;
  at: string;
};

export const eventTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

export function reportQueue(
  serverUrl: string,
  auth: Authorizer,
  post: (url: string, body: unknown, headers?: Record<string, string>) => Promise<Response>,
) {
  const pending: ReportEvent[] = [];
  return {
    add(event: ReportEvent) {
      pending.push(event);
    },
    pending: () => [...pending],
    /** Sends what is queued; events stay queued when the server does not confirm them. */
    async flush(): Promise<void> {
      while (pending.length > 0) {
        const events = pending.slice(0, 100);
        const send = async () =>
          post(`${serverUrl}/device/v1/reports`, { events }, { authorization: await auth.header() });
        let response = await send();
        if (response.status === 401) {
          auth.reset();
          response = await send();
        }
        if (response.status !== 200) return;
        pending.splice(0, events.length);
      }
    },
  };
}
