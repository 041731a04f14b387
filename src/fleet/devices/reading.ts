// Reading the registry. Staff read every device; a supplier reads the devices of the models it is
// linked to (it builds them or supplies parts), never their credentials' secrets (none are kept).
import { type Principal, supplierScope } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { NotFound } from '../../platform/errors.ts';
import type { Page } from '../../platform/paging.ts';
import * as store from './store.ts';

export async function getDevice(deps: Deps, principal: Principal, id: string): Promise<store.DeviceRow> {
  const row = await store.findDevice(deps.db, id, supplierScope(principal));
  if (!row) throw new NotFound('No such device');
  return row;
}

export function listDevices(deps: Deps, principal: Principal, filter: store.DeviceFilter, page: Page) {
  return store.listDevices(deps.db, filter, supplierScope(principal), page);
}
