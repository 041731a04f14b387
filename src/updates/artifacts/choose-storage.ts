// Picks the artifact store the configuration names; with S3, the bucket is checked at once, so a
// wrong endpoint, bucket or key stops the start with a clear message rather than the first upload.
import type { Config } from '../../config.ts';
import { type ArtifactStorage, DiskArtifactStorage } from './artifact-storage.ts';
import { S3ArtifactStorage } from './s3-artifact-storage.ts';

export async function openArtifactStorage(config: Config): Promise<ArtifactStorage> {
  if (config.artifactStore === 'disk') return new DiskArtifactStorage(config.dataDir);
  // loadConfig refuses ARTIFACT_STORE=s3 without a bucket.
  const s3 = new S3ArtifactStorage(
    {
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      bucket: config.s3Bucket as string,
      prefix: config.s3Prefix,
      accessKeyId: config.s3AccessKeyId,
      secretAccessKey: config.s3SecretAccessKey,
      forcePathStyle: config.s3ForcePathStyle,
    },
    config.dataDir,
  );
  await s3.checkBucket();
  return s3;
}
