// Time and randomness enter through these so tests can pin them.
import crypto from 'node:crypto';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export type Random = (bytes: number) => Buffer;
export const secureRandom: Random = (bytes) => crypto.randomBytes(bytes);

export const sha256Hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
