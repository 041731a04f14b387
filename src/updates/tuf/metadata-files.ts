// Signed metadata as files: how long each role lives, when an online role is re-signed, and the
// bytes a role is stored and served as (serialised once, at signing, never again).
import {
  Metadata,
  MetadataKind,
  type Root,
  type Snapshot,
  type Targets,
  type Timestamp,
} from '@tufjs/models';
import type { TufSigner } from './ed25519-keys.ts';
import type { TufRole } from './metadata-store.ts';

const day = 24 * 60 * 60_000;

/** Lifetimes: offline roles long (a ceremony is rare), online roles short (a stolen file soon expires). */
export const lifetimeMs: Record<TufRole, number> = {
  root: 365 * day,
  targets: 90 * day,
  snapshot: 7 * day,
  timestamp: 1 * day,
};

/** TUF expiry strings carry whole seconds. */
export const expiryString = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;
export const expiresAfter = (now: Date, role: TufRole) =>
  new Date(Math.floor((now.getTime() + lifetimeMs[role]) / 1000) * 1000);

/** An online role is re-signed once less than half its lifetime remains. */
export const dueForResigning = (expiresAt: Date, role: TufRole, now: Date) =>
  expiresAt.getTime() - now.getTime() < lifetimeMs[role] / 2;

type AnySigned = Root | Targets | Snapshot | Timestamp;

/** Signs with every signer and returns the bytes to store and serve. */
export function signedBytes<T extends AnySigned>(signed: T, signers: TufSigner[]): string {
  const metadata = new Metadata<T>(signed);
  for (const signer of signers) metadata.sign(signer.sign, true);
  return JSON.stringify(metadata.toJSON());
}

export function parseRoot(body: string): Metadata<Root> {
  return Metadata.fromJSON(MetadataKind.Root, JSON.parse(body));
}
export function parseTargets(body: string): Metadata<Targets> {
  return Metadata.fromJSON(MetadataKind.Targets, JSON.parse(body));
}
export function parseSnapshot(body: string): Metadata<Snapshot> {
  return Metadata.fromJSON(MetadataKind.Snapshot, JSON.parse(body));
}
export function parseTimestamp(body: string): Metadata<Timestamp> {
  return Metadata.fromJSON(MetadataKind.Timestamp, JSON.parse(body));
}
