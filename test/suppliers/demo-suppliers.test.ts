import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoPasswords } from '../../src/auth/demo-accounts.ts';
import { demoFactorySlug, demoSupplierEmail, seedDemoSuppliers } from '../../src/suppliers/demo.ts';
import { signIn } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { countRows } from '../support/rows.ts';

describe(`demo suppliers (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  let password: string;
  before(async () => {
    product = await startTestProduct();
    // The test product is seeded with the demo, so the factory account has its stored password.
    password = (await demoPasswords(product.deps.db, [demoSupplierEmail]))[demoSupplierEmail] ?? '';
  });
  after(() => product.stop());

  it('seeds a partly filled factory checklist, a parts supplier and a factory account, once', async () => {
    await seedDemoSuppliers(product.deps, password);
    const events = await countRows(product, 'supplier_safeguard_events');
    const again = await seedDemoSuppliers(product.deps, password);
    assert.equal(again.suppliersAdded, 0);
    assert.equal(again.supplierUser.added, false);
    assert.equal(
      await countRows(product, 'supplier_safeguard_events'),
      events,
      'a second run records nothing',
    );

    const session = await signIn(product, { email: demoSupplierEmail, password });
    const me = (await session.inject({ url: '/api/v1/me/supplier' })).json();
    assert.equal(me.slug, demoFactorySlug);
    assert.equal(me.safeguards.inPlace, 4);
    assert.deepEqual(
      me.safeguards.missing.map((m: { key: string }) => m.key),
      ['no-undeclared-data', 'security-fixes'],
    );
    const suppliers = (await session.inject({ url: '/api/v1/suppliers' })).json().suppliers;
    assert.equal(suppliers.length, 1, 'the factory account sees only its factory');

    const parts = await product.deps.db
      .selectFrom('suppliers')
      .select('id')
      .where('slug', '=', 'shenzhen-sensor-parts')
      .executeTakeFirstOrThrow();
    const checklist = await product.deps.db
      .selectFrom('supplier_safeguards')
      .select('status')
      .where('supplier_id', '=', parts.id)
      .execute();
    assert.deepEqual(checklist, [{ status: 'requested' }]);
  });
});
