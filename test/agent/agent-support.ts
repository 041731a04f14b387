// Shared by the agent tests: a listening product with an image repository (root 1, one model with
// hardware revisions A and B), a man in the middle, devices registered through the API, agents
// with their own data folders, and install instructions signed by the director's real key through
// the server's own signing function (until rollouts make the director offer installs by itself).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { type AgentOptions, createAgent, ed25519PublicKeyOf } from '../../agent/src/index.ts';
import { directorKey } from '../../src/updates/director/director-key.ts';
import {
  encodeSignedInstruction,
  type Instruction,
  instructionTime,
  type Target,
} from '../../src/updates/director/instruction.ts';
import { tempDir } from '../support/product.ts';
import { startRepository } from '../updates/tuf-support.ts';
import { startDeviceProxy } from './device-proxy.ts';

export type Fleet = Awaited<ReturnType<typeof startFleet>>;

export async function startFleet() {
  const repo = await startRepository();
  const proxy = await startDeviceProxy(repo.baseUrl);
  const key = (await fetch(`${repo.baseUrl}/device/v1/director-key`).then((r) => r.json())) as {
    public: string;
  };
  const folders: string[] = [];
  let serials = 0;

  async function register(credential: 'secret' | 'ed25519', installedVersion = '0.9.0') {
    const secret = crypto.randomBytes(32).toString('base64url');
    const privateKey = crypto.randomBytes(32).toString('hex');
    const response = await repo.analyst.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: {
        serial: `AGENT-${process.pid}-${++serials}`,
        model: repo.model.id,
        hardwareRevision: 'A',
        installedVersion,
        ...(credential === 'secret' ? { secret } : { publicKey: ed25519PublicKeyOf(privateKey) }),
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return {
      id: response.json().id as string,
      credential:
        credential === 'secret'
          ? ({ kind: 'secret', secret } as const)
          : ({ kind: 'ed25519', privateKey } as const),
    };
  }

  /** A registered device running the agent through the proxy; `installs` lists the files installed. */
  async function device(
    options: { auth?: 'secret' | 'ed25519'; currentVersion?: string } & Partial<
      Omit<AgentOptions, 'credential'>
    > = {},
  ) {
    const currentVersion = options.currentVersion ?? '0.9.0';
    const { auth, ...agentOptions } = options;
    const registered = await register(auth ?? 'secret', currentVersion);
    const dataDir = tempDir('openpsirt-agent-');
    folders.push(dataDir);
    const installs: Buffer[] = [];
    const agent = createAgent({
      serverUrl: proxy.url,
      deviceId: registered.id,
      credential: registered.credential,
      directorPublicKey: key.public,
      trustedRoot: await repo.rootBody(1),
      dataDir,
      currentVersion,
      hardwareRevision: 'A',
      model: repo.model.id,
      install: async (file) => {
        installs.push(fs.readFileSync(file));
      },
      ...agentOptions,
    });
    return { agent, id: registered.id, dataDir, installs };
  }

  /** An instruction signed with the director's key, as the server signs its check-in answers. */
  async function signed(instruction: Instruction): Promise<string> {
    const { signer } = await directorKey(repo.product.deps);
    return encodeSignedInstruction(instruction, (bytes) => {
      const signature = signer.sign(bytes);
      return { keyid: signature.keyID, sig: signature.sig };
    });
  }

  /**
   * Makes the director (through the proxy) answer the next check-ins with this target, signed for
   * the device and nonce of each check-in; `change` alters the instruction before it is signed.
   */
  function offer(target: Target, change: (instruction: Instruction) => Instruction = (i) => i) {
    proxy.rewriteCheckIn(async (request, upstream) => {
      const answered = JSON.parse(upstream).signed as Instruction;
      const now = Date.now();
      return signed(
        change({
          deviceId: answered.deviceId,
          nonce: request.nonce,
          issuedAt: instructionTime(new Date(now)),
          expiresAt: instructionTime(new Date(now + 300_000)),
          action: 'install',
          target,
          pollSeconds: 60,
        }),
      );
    });
  }

  return {
    repo,
    proxy,
    directorKey: key.public as string,
    device,
    signed,
    offer,
    async stop() {
      await proxy.close();
      await repo.stop();
      for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
