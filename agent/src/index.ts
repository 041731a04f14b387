// The OpenPSIRT device agent (docs/agent.md).
export { type Agent, type AgentOptions, type CheckInResult, createAgent, type Outcome } from './agent.ts';
export { type Credential, ed25519PublicKeyOf, ProtocolError } from './credentials.ts';
export { verifyAnswer } from './director.ts';
export { checkNowTopic } from './push.ts';
export { TargetRefused } from './target-check.ts';
