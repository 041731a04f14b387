// Shared by the inventory routes: who may call them (services check the roles again and scope
// suppliers) and their OpenAPI tag.
import type { Access } from '../../auth/access.ts';

export const readers: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
export const writers: Access = { roles: ['admin', 'analyst'] };
export const sbomUploaders: Access = { roles: ['admin', 'analyst', 'supplier'] };

export const tags = ['inventory'];
