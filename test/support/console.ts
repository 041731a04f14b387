// Builds the staff console (web/ → web/dist) once for the tests that need it: only when the build is
// missing or older than its sources, and only one test process at a time (a lock directory).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(import.meta.dirname, '../..');
export const webDir = path.join(root, 'web');
export const consoleDist = path.join(webDir, 'dist');
const lockDir = path.join(webDir, '.build-lock');
const sources = [
  path.join(webDir, 'src'),
  path.join(webDir, 'index.html'),
  path.join(webDir, 'vite.config.ts'),
];

function newestSource(): number {
  let newest = 0;
  for (const source of sources) {
    const stat = fs.statSync(source);
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
    else {
      for (const entry of fs.readdirSync(source, { recursive: true, withFileTypes: true })) {
        if (entry.isFile())
          newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
      }
    }
  }
  return newest;
}

/** True when web/dist/index.html exists and is newer than every source file. */
export function consoleBuildIsCurrent(): boolean {
  const index = path.join(consoleDist, 'index.html');
  return fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSource();
}

async function lock(): Promise<() => void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed process: older than any real build.
      const held = fs.statSync(lockDir, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new Error(`Waited 2 minutes for ${lockDir}; remove it if no build runs`);
      await sleep(200);
    }
  }
}

/** Runs `npm run build:web` unless web/dist is current; safe to call from parallel test files. */
export async function ensureConsoleBuilt(): Promise<void> {
  if (consoleBuildIsCurrent()) return;
  const unlock = await lock();
  try {
    if (consoleBuildIsCurrent()) return;
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    execFileSync(process.execPath, [vite, 'build', webDir, '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  } finally {
    unlock();
  }
}
