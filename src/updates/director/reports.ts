// What devices report about downloads and installs, stored durably for rollout statistics: the
// device is answered only after the rows are committed.

import type { DeviceReportKind } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { Invalid } from '../../platform/errors.ts';

export type DeviceReportEvent = {
  kind: DeviceReportKind;
  releaseId?: string | undefined;
  version?: string | undefined;
  errorCode?: string | undefined;
  at: string;
};

export async function storeDeviceReports(
  deps: Pick<Deps, 'db' | 'clock'>,
  deviceId: string,
  events: DeviceReportEvent[],
): Promise<number> {
  const times = events.map((event) => new Date(event.at));
  const bad = times.findIndex((time) => Number.isNaN(time.getTime()));
  if (bad >= 0)
    throw new Invalid({ [`events[${bad}].at`]: 'must be a date-time such as 2026-11-30T07:00:00Z' });
  if (events.length === 0) return 0;
  const receivedAt = deps.clock();
  await deps.db
    .insertInto('device_reports')
    .values(
      events.map((event, index) => ({
        device_id: deviceId,
        kind: event.kind,
        release_id: event.releaseId ?? null,
        version: event.version ?? null,
        error_code: event.errorCode ?? null,
        at: times[index] as Date,
        received_at: receivedAt,
      })),
    )
    .execute();
  return events.length;
}
