// The inventory feature's HTTP API: products, models, firmware, SBOMs, component search, bulk transfer.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.ts';
import { firmwareRoutes } from './routes/firmware-routes.ts';
import { productRoutes } from './routes/product-routes.ts';
import { sbomRoutes } from './routes/sbom-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { transferRoutes } from './routes/transfer-routes.ts';

export const inventoryRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(productRoutes, { deps });
  await app.register(firmwareRoutes, { deps });
  await app.register(searchRoutes, { deps });
  // Each of these two has content-type parsers of its own, kept inside its plugin.
  await app.register(sbomRoutes, { deps });
  await app.register(transferRoutes, { deps });
};
