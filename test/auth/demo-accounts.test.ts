import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/demo/seed.ts';
import { signIn } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';

type Product = Awaited<ReturnType<typeof startTestProduct>>;

describe(`demo accounts (${engine})`, () => {
  let product: Product;
  before(async () => {
    product = await startTestProduct({ demo: false });
  });
  after(() => product.stop());

  it('seeds one account per staff role and a supplier account whose passwords stay the same on the next seed', async () => {
    const first = await seedDemo(product.deps.db);
    const again = await seedDemo(product.deps.db);
    const staff = first.accounts.filter((a) => a.role !== 'supplier');
    assert.deepEqual(
      staff.map((a) => [a.role, a.email]),
      [
        ['admin', 'admin@demo.example'],
        ['analyst', 'analyst@demo.example'],
        ['auditor', 'auditor@demo.example'],
      ],
    );
    assert.deepEqual(again.accounts, first.accounts, 'same passwords when seeded again');
    assert.ok(
      staff.every((a) => a.password.length >= 20),
      'generated passwords, not a well-known one',
    );
    for (const account of staff) {
      const session = await signIn(product, account);
      assert.equal(session.user.role, account.role);
    }
    const users = await product.deps.db.selectFrom('users').select('email').execute();
    assert.equal(users.filter((u) => u.email.endsWith('@demo.example')).length, 3);

    const supplier = first.accounts.find((a) => a.role === 'supplier');
    assert.ok(supplier, 'the demo supplier account is printed with the others');
    assert.ok(supplier.password.length >= 20, 'a generated password, not a well-known one');
    assert.notEqual(supplier.password, 'demo supplier password');
    assert.ok(
      staff.every((a) => a.password !== supplier.password),
      'its own password, not one of the staff passwords',
    );
    const session = await signIn(product, supplier);
    assert.equal(session.user.role, 'supplier');
  });
});
