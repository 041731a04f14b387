// Exports the image repository to a folder laid out as the HTTP paths (metadata/ and targets/), so a
// CDN or object store can serve it as static files.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../../deps.ts';
import { releasesToSign } from '../releases/store.ts';
import { allMetadata, type StoredMetadata } from './metadata-store.ts';

function fileNamesOf(file: StoredMetadata, latest: Map<string, number>): string[] {
  const isLatest = latest.get(file.role) === file.version;
  if (file.role === 'timestamp') return isLatest ? ['timestamp.json'] : [];
  if (file.role === 'root') return [`${file.version}.root.json`, ...(isLatest ? ['root.json'] : [])];
  return [`${file.version}.${file.role}.json`];
}

export async function exportRepository(
  deps: Pick<Deps, 'db' | 'artifacts'>,
  outDir: string,
): Promise<{ metadataFiles: number; targetFiles: number }> {
  const metadataDir = path.join(outDir, 'metadata');
  fs.mkdirSync(metadataDir, { recursive: true });
  const files = await allMetadata(deps.db);
  const latest = new Map<string, number>();
  for (const file of files) latest.set(file.role, Math.max(latest.get(file.role) ?? 0, file.version));
  let metadataFiles = 0;
  for (const file of files) {
    for (const name of fileNamesOf(file, latest)) {
      fs.writeFileSync(path.join(metadataDir, name), file.body);
      metadataFiles++;
    }
  }
  let targetFiles = 0;
  for (const release of await releasesToSign(deps.db)) {
    if (release.state !== 'signed') continue;
    const { dir, base } = path.posix.parse(release.target_path);
    const target = path.join(outDir, 'targets', dir, `${release.artifact_sha256}.${base}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await pipeline(deps.artifacts.open(release.artifact_sha256), fs.createWriteStream(target));
    targetFiles++;
  }
  return { metadataFiles, targetFiles };
}
