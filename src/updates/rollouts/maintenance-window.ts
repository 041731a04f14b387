// Maintenance windows are local times in the device's region (an IANA zone). Devices without a
// region use the maker's zone (the response policy's time zone), UTC when that is not set.
import type { MaintenanceWindow } from './rollout-spec.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** 'HH:MM' at `now` in the zone; falls back to UTC for a zone the runtime does not know. */
export function localClock(now: Date, zone: string): string {
  try {
    return formatterFor(zone).format(now);
  } catch {
    return formatterFor('UTC').format(now);
  }
}

/** Whether `now` lies in the window (start inclusive, end exclusive; an end before the start spans midnight). */
export function inMaintenanceWindow(window: MaintenanceWindow | null, now: Date, zone: string): boolean {
  if (!window) return true;
  const local = localClock(now, zone);
  return window.start < window.end
    ? local >= window.start && local < window.end
    : local >= window.start || local < window.end;
}
