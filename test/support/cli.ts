// Runs the real `openpsirt` command line in a child process, the way an operator would.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PASSWORD_ENV } from '../../src/auth/cli.ts';
import { settings } from '../../src/config.ts';

export type CliRun = { code: number | null; stdout: string; stderr: string };

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * `env` is all the configuration the command gets: settings from the test's own environment (such
 * as DATABASE_URL in the PostgreSQL run) and the password of `user add` are left out so they cannot
 * leak in by accident.
 */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !settings.some((s) => s.env === name) && name !== PASSWORD_ENV,
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/main.ts', ...args], {
      cwd: repoRoot,
      env: { ...inherited, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
