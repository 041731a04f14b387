// The device agent: what a Node-capable device or gateway runs to update itself from OpenPSIRT, and
// the reference for firmware teams (docs/agent.md maps each step to docs/device-protocol.md).
// One check-in: ask the director (verified instruction or nothing), and for 'install' verify the
// target against the image repository with tuf-js, download it with resume, verify its bytes, then
// install (or only download, or ask first), reporting each step.
import fs from 'node:fs';
import path from 'node:path';
import { authorizer, type Credential, ProtocolError } from './credentials.ts';
import { askDirector, type Instruction, type InstructionRefusal } from './director.ts';
import { downloadTarget } from './download.ts';
import { type PushSubscription, subscribeCheckNow } from './push.ts';
import { eventTime, type ReportEvent, reportQueue } from './reports.ts';
import { TargetRefused, verifiedTarget } from './target-check.ts';

export type AgentOptions = {
  serverUrl: string;
  deviceId: string;
  credential: Credential;
  /** The director's Ed25519 public key (64 hex), pinned at manufacture. */
  directorPublicKey: string;
  /** The bytes of 1.root.json (or a later root), pinned at manufacture. */
  trustedRoot: Uint8Array | string;
  /** Where TUF metadata, partial downloads and the agent's state are kept across restarts. */
  dataDir: string;
  currentVersion: string;
  hardwareRevision: string;
  /** The model id (or slug) the device was registered with. */
  model: string;
  /** Writes the verified file to flash (or wherever). Throw an Error with a `code` to report it. */
  install: (file: string) => Promise<void>;
  /** For `soft` targets: whether the owner agrees to install now. Without it, soft targets wait. */
  approve?: (target: NonNullable<Instruction['target']>) => Promise<boolean>;
  /** Whether the installed version runs as soon as `install` returns (no reboot), as in the simulator. */
  runsAfterInstall?: boolean;
  /** An MQTT broker (mqtt://host:1883) to hear "check now" on; the agent polls without it. */
  mqttUrl?: string;
  now?: () => Date;
};

export type Outcome =
  | { kind: 'idle' }
  | { kind: 'refused-instruction'; reason: InstructionRefusal }
  | { kind: 'refused-target'; code: string; message: string }
  | { kind: 'download-failed'; code: string; message: string }
  | { kind: 'downloaded'; file: string; resumedFrom: number }
  | { kind: 'declined' }
  | { kind: 'installed'; version: string }
  | { kind: 'install-failed'; code: string };

export type CheckInResult = { action: 'none' | 'install'; pollSeconds: number; outcome: Outcome };

type State = { installedReleaseCounter: number | null; pendingVersion: string | null };

/** The interval when the server could not be asked (no verified pollSeconds to obey). */
export const defaultPollSeconds = 3600;
const codePattern = /^[A-Za-z0-9_.:-]{1,64}$/;

export function createAgent(options: AgentOptions) {
  const now = options.now ?? (() => new Date());
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const auth = authorizer(serverUrl, options.deviceId, options.credential, now, post);
  const reports = reportQueue(serverUrl, auth, post);
  const stateFile = path.join(options.dataDir, 'agent-state.json');
  fs.mkdirSync(options.dataDir, { recursive: true });
  const state: State = fs.existsSync(stateFile)
    ? JSON.parse(fs.readFileSync(stateFile, 'utf8'))
    : { installedReleaseCounter: null, pendingVersion: null };
  const save = () => fs.writeFileSync(stateFile, JSON.stringify(state));
  let currentVersion = options.currentVersion;
  let pollSeconds = defaultPollSeconds;
  if (state.pendingVersion !== null && state.pendingVersion === currentVersion) {
    // Rebooted into the version installed last time.
    reports.add({ kind: 'running', version: currentVersion, at: eventTime(now()) });
    state.pendingVersion = null;
    save();
  }

  const report = (event: Omit<ReportEvent, 'at'>) => reports.add({ ...event, at: eventTime(now()) });

  async function act(target: NonNullable<Instruction['target']>): Promise<Outcome> {
    const about = { releaseId: target.releaseId, version: target.version };
    let verified: Awaited<ReturnType<typeof verifiedTarget>>;
    try {
      verified = await verifiedTarget({
        serverUrl,
        metadataDir: path.join(options.dataDir, 'tuf'),
        trustedRoot: options.trustedRoot,
        target,
        device: {
          model: options.model,
          hardwareRevision: options.hardwareRevision,
          currentVersion,
          releaseCounter: state.installedReleaseCounter,
        },
      });
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      report({ kind: 'download-failed', ...about, errorCode: error.code });
      return { kind: 'refused-target', code: error.code, message: error.message };
    }
    report({ kind: 'download-started', ...about });
    let file: string;
    let resumedFrom: number;
    try {
      ({ file, resumedFrom } = await downloadTarget({
        serverUrl,
        downloadDir: path.join(options.dataDir, 'downloads'),
        target: verified,
      }));
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      report({ kind: 'download-failed', ...about, errorCode: error.code });
      return { kind: 'download-failed', code: error.code, message: error.message };
    }
    report({ kind: 'download-finished', ...about });
    if (target.mode === 'download-only') return { kind: 'downloaded', file, resumedFrom };
    if (target.mode === 'soft' && !(options.approve && (await options.approve(target)))) {
      return { kind: 'declined' };
    }
    try {
      await options.install(file);
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? '');
      const errorCode = codePattern.test(code) ? code : 'E_INSTALL';
      report({ kind: 'install-failed', ...about, errorCode });
      return { kind: 'install-failed', code: errorCode };
    }
    report({ kind: 'install-succeeded', ...about });
    state.installedReleaseCounter = verified.releaseCounter;
    state.pendingVersion = verified.version;
    fs.rmSync(file, { force: true });
    if (options.runsAfterInstall) {
      currentVersion = verified.version;
      state.pendingVersion = null;
      report({ kind: 'running', version: currentVersion });
    }
    save();
    return { kind: 'installed', version: verified.version };
  }

  return {
    deviceId: options.deviceId,
    currentVersion: () => currentVersion,
    pendingReports: () => reports.pending(),

    /** One check-in, acted upon. Throws ProtocolError when the server could not be asked. */
    async checkIn(): Promise<CheckInResult> {
      await reports.flush();
      const answer = await askDirector({
        serverUrl,
        deviceId: options.deviceId,
        directorPublicKey: options.directorPublicKey,
        installedVersion: currentVersion,
        auth,
        now,
        post,
      });
      if (!answer.ok) {
        // Never act on, or report about, an answer that is not a verified instruction.
        return {
          action: 'none',
          pollSeconds,
          outcome: { kind: 'refused-instruction', reason: answer.reason },
        };
      }
      pollSeconds = answer.instruction.pollSeconds;
      const target = answer.instruction.target;
      const outcome: Outcome =
        answer.instruction.action === 'install' && target ? await act(target) : { kind: 'idle' };
      await reports.flush();
      return { action: answer.instruction.action, pollSeconds, outcome };
    },

    /**
     * Checks in until `signal` aborts, waiting the director's pollSeconds in between, or less when a
     * "check now" message arrives over MQTT (with `mqttUrl`).
     */
    async run(signal: AbortSignal, onResult?: (result: CheckInResult | Error) => void): Promise<void> {
      let wake: (() => void) | null = null;
      let push: PushSubscription | null = null;
      if (options.mqttUrl) {
        try {
          push = await subscribeCheckNow(options.mqttUrl, options.deviceId, () => wake?.());
        } catch (error) {
          onResult?.(error as Error); // no broker: polling still works
        }
      }
      try {
        while (!signal.aborted) {
          let wait = pollSeconds;
          try {
            const result = await this.checkIn();
            wait = result.pollSeconds;
            onResult?.(result);
          } catch (error) {
            if (!(error instanceof ProtocolError) && !(error instanceof TypeError)) throw error;
            onResult?.(error);
          }
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              wake = null;
              resolve();
            };
            const timer = setTimeout(done, wait * 1000);
            wake = done;
            signal.addEventListener('abort', done, { once: true });
          });
        }
      } finally {
        await push?.close();
      }
    },
  };
}

export type Agent = ReturnType<typeof createAgent>;
