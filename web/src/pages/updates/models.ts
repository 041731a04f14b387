// The models that can be updated over the air, read through the inventory API (products, then
// each product's models).
import { API, get } from '../../api.ts';
import type { User } from '../../session.tsx';

/** Staff who create releases and run rollouts (auditors read). */
export const changesUpdates = (user: User) => user.role === 'admin' || user.role === 'analyst';

export type UpdatableModel = { id: string; name: string; productName: string; hardwareRevisions: string[] };

type Page<T> = { items: T[] };
type ProductItem = { id: string; name: string };
type ModelItem = { id: string; name: string; hardwareRevisions: string[]; remoteUpdate: boolean };

export async function loadUpdatableModels(): Promise<UpdatableModel[]> {
  const products = await get<Page<ProductItem>>(`${API}/products?limit=500`);
  const perProduct = await Promise.all(
    products.items.map(async (product) => {
      const models = await get<Page<ModelItem>>(`${API}/products/${product.id}/models?limit=500`);
      return models.items
        .filter((model) => model.remoteUpdate)
        .map((model) => ({
          id: model.id,
          name: model.name,
          productName: product.name,
          hardwareRevisions: model.hardwareRevisions,
        }));
    }),
  );
  return perProduct.flat();
}
