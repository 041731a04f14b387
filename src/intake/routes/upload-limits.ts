// Upload limits from configuration, shared by every intake route that takes files.
import type { Config } from '../../config.ts';
import type { UploadLimits } from '../multipart-reader.ts';

export const uploadLimits = (config: Config): UploadLimits => ({
  maxAttachments: config.maxAttachments,
  maxAttachmentBytes: config.maxAttachmentBytes,
  maxTotalAttachmentBytes: config.maxTotalAttachmentBytes,
  maxFieldBytes: config.maxBodyBytes,
});

export const reportTextFields = new Set([
  'title',
  'productId',
  'productName',
  'version',
  'description',
  'encrypted',
  'stepsToReproduce',
  'impact',
  'cvssVector',
  'reporterName',
  'reporterEmail',
  'credit',
  'creditName',
  'preferredDisclosureDate',
  'website',
]);

export const rateLimitFor = (config: Config) => ({ max: config.reportsPerIpPerHour, timeWindow: '1 hour' });
