// One typed configuration, read from environment variables and command-line flags (flags win),
// validated once at start so that every bad value is reported together with what was expected.
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type Config = {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  logLevel: LogLevel;
  orgName: string;
  securityEmail: string;
  mailFrom: string;
  pgpPassphrase: string | undefined;
  securityTxtSigned: boolean;
  securityTxtExpiresDays: number;
  preferredLanguages: string;
  reportsPerIpPerHour: number;
  maxBodyBytes: number;
  maxAttachments: number;
  maxAttachmentBytes: number;
  maxTotalAttachmentBytes: number;
  sbomMaxBytes: number;
  artifactMaxBytes: number;
  artifactStore: 'disk' | 's3';
  s3Endpoint: string | undefined;
  s3Region: string;
  s3Bucket: string | undefined;
  s3Prefix: string;
  s3AccessKeyId: string | undefined;
  s3SecretAccessKey: string | undefined;
  s3ForcePathStyle: boolean;
  tufOnlineTargets: boolean;
  devicePollSeconds: number;
  mqttUrl: string | undefined;
  devicePollJitterPercent: number;
  trustProxy: boolean;
  workers: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginFailuresPerAccount: number;
  loginFailuresPerIp: number;
  loginThrottleMinutes: number;
};

type Parser<T> = (raw: string) => T;

type Setting = {
  key: keyof Config;
  env: string;
  description: string;
  parse: Parser<unknown>;
  fallback: (partial: Partial<Config>) => unknown;
};

class ConfigValueError extends Error {}

const text: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new ConfigValueError('must not be empty');
  return raw.trim();
};

const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigValueError(`must be a whole number from ${min} to ${max}`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigValueError(`must be from ${min} to ${max}`);
    return value;
  };

const boolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigValueError('must be true or false');
};

const url =
  (protocols: string[]): Parser<string> =>
  (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      throw new ConfigValueError(`must be a URL (${protocols.join(', ')})`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigValueError(`must use ${protocols.join(' or ')}, not ${parsed.protocol}`);
    }
    return raw.trim();
  };

const email: Parser<string> = (raw) => {
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(raw.trim())) {
    throw new ConfigValueError('must be an email address like security@example.com');
  }
  return raw.trim();
};

const logLevels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const logLevel: Parser<LogLevel> = (raw) => {
  const value = raw.trim().toLowerCase() as LogLevel;
  if (!logLevels.includes(value)) throw new ConfigValueError(`must be one of ${logLevels.join(', ')}`);
  return value;
};

const MiB = 1024 * 1024;

export const settings: Setting[] = [
  { key: 'host', env: 'HOST', description: 'Address to listen on', parse: text, fallback: () => '127.0.0.1' },
  {
    key: 'port',
    env: 'PORT',
    description: 'Port to listen on',
    parse: integer(0, 65535),
    fallback: () => 8080,
  },
  {
    key: 'publicUrl',
    env: 'PUBLIC_URL',
    description: 'URL people and devices use to reach this server (used in links, mails and security.txt)',
    parse: (raw) => url(['http:', 'https:'])(raw).replace(/\/+$/, ''),
    fallback: (c) => `http://${c.host === '0.0.0.0' ? '127.0.0.1' : c.host}:${c.port}`,
  },
  {
    key: 'dataDir',
    env: 'DATA_DIR',
    description: 'Folder for the embedded database, attachments, keys and outgoing mail',
    parse: (raw) => path.resolve(text(raw)),
    fallback: () => path.resolve('data'),
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    description: 'postgres:// URL of a PostgreSQL server; unset uses the embedded database in DATA_DIR',
    parse: url(['postgres:', 'postgresql:']),
    fallback: () => undefined,
  },
  {
    key: 'smtpUrl',
    env: 'SMTP_URL',
    description: 'smtp:// or smtps:// URL of the mail relay; unset writes .eml files to DATA_DIR/mail',
    parse: url(['smtp:', 'smtps:']),
    fallback: () => undefined,
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    description: 'fatal, error, warn, info, debug, trace or silent',
    parse: logLevel,
    fallback: () => 'info',
  },
  {
    key: 'orgName',
    env: 'ORG_NAME',
    description: 'Name of the maker shown on public pages',
    parse: text,
    fallback: () => 'Example Devices',
  },
  {
    key: 'securityEmail',
    env: 'SECURITY_EMAIL',
    description: 'Security mailbox listed in security.txt and the policy',
    parse: email,
    fallback: () => 'security@example.com',
  },
  {
    key: 'mailFrom',
    env: 'MAIL_FROM',
    description: 'Sender address of outgoing mail',
    parse: email,
    fallback: (c) => c.securityEmail,
  },
  {
    key: 'pgpPassphrase',
    env: 'PGP_PASSPHRASE',
    description:
      'Passphrase protecting the server OpenPGP private key at rest; unset generates one into DATA_DIR/keys (laptop use only)',
    parse: (raw) => {
      if (raw.length < 12) throw new ConfigValueError('must be at least 12 characters');
      return raw;
    },
    fallback: () => undefined,
  },
  {
    key: 'securityTxtSigned',
    env: 'SECURITY_TXT_SIGNED',
    description: 'Serve security.txt with an OpenPGP cleartext signature',
    parse: boolean,
    fallback: () => true,
  },
  {
    key: 'securityTxtExpiresDays',
    env: 'SECURITY_TXT_EXPIRES_DAYS',
    description: 'How far ahead the Expires field of security.txt lies (renewed daily)',
    parse: integer(1, 365),
    fallback: () => 180,
  },
  {
    key: 'preferredLanguages',
    env: 'PREFERRED_LANGUAGES',
    description: 'Comma-separated language tags for security.txt',
    parse: (raw) => {
      const tags = raw.split(',').map((tag) => tag.trim());
      if (tags.some((tag) => !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag))) {
        throw new ConfigValueError('must be language tags separated by commas, like "en, de"');
      }
      return tags.join(', ');
    },
    fallback: () => 'en',
  },
  {
    key: 'reportsPerIpPerHour',
    env: 'REPORTS_PER_IP_PER_HOUR',
    description: 'Report submissions and replies accepted from one IP address per hour',
    parse: integer(1, 10_000_000),
    fallback: () => 30,
  },
  {
    key: 'maxBodyBytes',
    env: 'MAX_BODY_BYTES',
    description: 'Largest JSON or form body accepted, in bytes (attachments excluded)',
    parse: integer(1024, 100 * MiB),
    fallback: () => 1 * MiB,
  },
  {
    key: 'maxAttachments',
    env: 'MAX_ATTACHMENTS',
    description: 'Most attachments on one report or reply',
    parse: integer(0, 100),
    fallback: () => 10,
  },
  {
    key: 'maxAttachmentBytes',
    env: 'MAX_ATTACHMENT_BYTES',
    description: 'Largest single attachment, in bytes',
    parse: integer(1, 1024 * MiB),
    fallback: () => 20 * MiB,
  },
  {
    key: 'maxTotalAttachmentBytes',
    env: 'MAX_TOTAL_ATTACHMENT_BYTES',
    description: 'Largest total of attachments on one report or reply, in bytes',
    parse: integer(1, 4096 * MiB),
    fallback: () => 50 * MiB,
  },
  {
    key: 'sbomMaxBytes',
    env: 'SBOM_MAX_BYTES',
    description: 'Largest SBOM file accepted for a firmware version, and largest inventory import, in bytes',
    parse: integer(1024, 1024 * MiB),
    fallback: () => 20 * MiB,
  },
  {
    key: 'artifactMaxBytes',
    env: 'ARTIFACT_MAX_BYTES',
    description: 'Largest firmware file accepted for upload, in bytes',
    parse: integer(1024, 16 * 1024 * MiB),
    fallback: () => 512 * MiB,
  },
  {
    key: 'artifactStore',
    env: 'ARTIFACT_STORE',
    description:
      'Where firmware files are kept: disk (DATA_DIR/artifacts) or s3 (an S3-compatible bucket, S3_*)',
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      if (value !== 'disk' && value !== 's3') throw new ConfigValueError('must be disk or s3');
      return value;
    },
    fallback: () => 'disk',
  },
  {
    key: 's3Endpoint',
    env: 'S3_ENDPOINT',
    description: 'URL of an S3-compatible server (MinIO, Ceph, ...); unset uses AWS S3 in S3_REGION',
    parse: (raw) => url(['http:', 'https:'])(raw).replace(/\/+$/, ''),
    fallback: () => undefined,
  },
  {
    key: 's3Region',
    env: 'S3_REGION',
    description: 'Region of the bucket',
    parse: (raw) => {
      if (!/^[a-z0-9-]+$/i.test(raw.trim()))
        throw new ConfigValueError('must be a region name like eu-west-1');
      return raw.trim();
    },
    fallback: () => 'us-east-1',
  },
  {
    key: 's3Bucket',
    env: 'S3_BUCKET',
    description: 'Bucket for firmware files; required when ARTIFACT_STORE=s3',
    parse: (raw) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(raw.trim())) {
        throw new ConfigValueError('must be a bucket name (letters, digits, dots, dashes, underscores)');
      }
      return raw.trim();
    },
    fallback: () => undefined,
  },
  {
    key: 's3Prefix',
    env: 'S3_PREFIX',
    description:
      'Folder-like prefix of every key in the bucket, such as openpsirt/ (a missing final / is added)',
    parse: (raw) => {
      const value = raw.trim();
      if (value.startsWith('/') || value.includes('//')) {
        throw new ConfigValueError('must not start with / nor contain //');
      }
      return value.endsWith('/') ? value : `${value}/`;
    },
    fallback: () => '',
  },
  {
    key: 's3AccessKeyId',
    env: 'S3_ACCESS_KEY_ID',
    description:
      'Access key for the bucket; unset uses the AWS SDK default credentials (environment, profile, role)',
    parse: text,
    fallback: () => undefined,
  },
  {
    key: 's3SecretAccessKey',
    env: 'S3_SECRET_ACCESS_KEY',
    description: 'Secret key going with S3_ACCESS_KEY_ID',
    parse: (raw) => raw,
    fallback: () => undefined,
  },
  {
    key: 's3ForcePathStyle',
    env: 'S3_FORCE_PATH_STYLE',
    description:
      'Address the bucket as ENDPOINT/BUCKET rather than BUCKET.ENDPOINT; default true when S3_ENDPOINT is set',
    parse: boolean,
    fallback: (c) => c.s3Endpoint !== undefined,
  },
  {
    key: 'tufOnlineTargets',
    env: 'TUF_ONLINE_TARGETS',
    description:
      'For demos and tests only: keep the TUF targets key online and sign new targets when a release is created or withdrawn',
    parse: boolean,
    fallback: () => false,
  },
  {
    key: 'mqttUrl',
    env: 'MQTT_URL',
    description:
      'mqtt:// or mqtts:// URL of the broker for rollout push ("check now" messages to devices); unset: no push',
    parse: url(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    fallback: () => undefined,
  },
  {
    key: 'devicePollSeconds',
    env: 'DEVICE_POLL_SECONDS',
    description: 'Base interval between device check-ins, sent to devices in every instruction',
    parse: integer(10, 7 * 24 * 3600),
    fallback: () => 3600,
  },
  {
    key: 'devicePollJitterPercent',
    env: 'DEVICE_POLL_JITTER_PERCENT',
    description:
      'Each poll interval sent is the base interval plus or minus up to this percentage, spreading load',
    parse: integer(0, 90),
    fallback: () => 20,
  },
  {
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    description: 'Take client addresses from X-Forwarded-For (only behind a proxy you run)',
    parse: boolean,
    fallback: () => false,
  },
  {
    key: 'workers',
    env: 'WORKERS',
    description: 'Run the job queue workers (mail and other background work) in this process',
    parse: boolean,
    fallback: () => true,
  },
  {
    key: 'sessionIdleMinutes',
    env: 'SESSION_IDLE_MINUTES',
    description: 'A console session ends after this many minutes without a request',
    parse: integer(1, 7 * 24 * 60),
    fallback: () => 120,
  },
  {
    key: 'sessionMaxHours',
    env: 'SESSION_MAX_HOURS',
    description: 'A console session ends this many hours after sign-in, however active',
    parse: integer(1, 90 * 24),
    fallback: () => 12,
  },
  {
    key: 'loginFailuresPerAccount',
    env: 'LOGIN_FAILURES_PER_ACCOUNT',
    description: 'Failed sign-ins to one account within LOGIN_THROTTLE_MINUTES before it is refused (429)',
    parse: integer(1, 1000),
    fallback: () => 5,
  },
  {
    key: 'loginFailuresPerIp',
    env: 'LOGIN_FAILURES_PER_IP',
    description:
      'Failed sign-ins from one IP address within LOGIN_THROTTLE_MINUTES before it is refused (429)',
    parse: integer(1, 100_000),
    fallback: () => 20,
  },
  {
    key: 'loginThrottleMinutes',
    env: 'LOGIN_THROTTLE_MINUTES',
    description: 'Window over which failed sign-ins are counted',
    parse: integer(1, 24 * 60),
    fallback: () => 15,
  },
];

/** Settings that are only wrong together. */
const s3SinglePutMaxBytes = 5 * 1024 ** 3;

function artifactStoreProblems(config: Config): string[] {
  if (config.artifactStore !== 's3') return [];
  const problems: string[] = [];
  if (config.s3Bucket === undefined) problems.push('S3_BUCKET: must be set when ARTIFACT_STORE=s3');
  // One PutObject carries at most 5 GiB; larger files would be received in full, then refused.
  if (config.artifactMaxBytes > s3SinglePutMaxBytes) {
    problems.push(`ARTIFACT_MAX_BYTES: at most ${s3SinglePutMaxBytes} (5 GiB) when ARTIFACT_STORE=s3`);
  }
  if ((config.s3AccessKeyId === undefined) !== (config.s3SecretAccessKey === undefined)) {
    problems.push(
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both, or neither to use the default credentials',
    );
  }
  return problems;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export const flagName = (setting: Setting) => `--${setting.env.toLowerCase().replaceAll('_', '-')}`;

/** Builds the configuration; `flags` maps a setting's flag name (without dashes) to its raw value. */
export function loadConfig(
  env: Record<string, string | undefined>,
  flags: Record<string, string | undefined> = {},
): Config {
  const partial: Partial<Config> = {};
  const problems: string[] = [];
  for (const setting of settings) {
    const flag = flagName(setting).slice(2);
    const raw = flags[flag] ?? env[setting.env];
    const source = flags[flag] !== undefined ? `--${flag}` : setting.env;
    if (raw === undefined || raw === '') {
      (partial as Record<string, unknown>)[setting.key] = setting.fallback(partial);
      continue;
    }
    try {
      (partial as Record<string, unknown>)[setting.key] = setting.parse(raw);
    } catch (error) {
      if (!(error instanceof ConfigValueError)) throw error;
      problems.push(`${source}=${JSON.stringify(raw)}: ${error.message}`);
      (partial as Record<string, unknown>)[setting.key] = setting.fallback(partial);
    }
  }
  problems.push(...artifactStoreProblems(partial as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  return partial as Config;
}
