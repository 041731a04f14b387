// When the case's current supplier acknowledged it, read from the case's events: an acknowledgement
// by a supplier the case was assigned to before does not count for the one assigned now.

type EventLike = { kind: string; at: Date; to: unknown };

export function supplierAcknowledgedAt(events: readonly EventLike[], supplierId: string | null): Date | null {
  if (supplierId === null) return null;
  const acknowledged = events.find(
    (event) =>
      event.kind === 'SUPPLIER_ACKNOWLEDGED' &&
      (event.to as { supplierId?: unknown } | null)?.supplierId === supplierId,
  );
  return acknowledged?.at ?? null;
}
