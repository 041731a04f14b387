// What the update APIs answer, as the console uses it (see src/updates/*/routes.ts).
export type ReleaseState = 'awaiting-signature' | 'signed' | 'withdrawn';

export type Release = {
  id: string;
  modelId: string;
  artifact: { id: string; fileName: string; size: number; sha256: string };
  version: string;
  hardwareRevisions: string[];
  notes: string;
  installOver: string;
  releaseCounter: number;
  targetPath: string;
  state: ReleaseState;
  createdAt: string;
};

export type Artifact = { id: string; fileName: string; size: number; sha256: string };

export type RolloutState = 'draft' | 'running' | 'paused' | 'halted' | 'completed' | 'aborted';
export type RolloutMode = 'soft' | 'forced' | 'download-only';
export type StageSpec = { percent: number; minMinutes: number; minReports: number };

export type Rollout = {
  id: string;
  releaseId: string;
  modelId: string;
  releaseVersion: string;
  selector: { hardwareRevisions: string[]; installedVersions: string; tags: string[]; regions: string[] };
  stages: StageSpec[];
  failureThreshold: number;
  minReportsBeforeHalt: number;
  mode: RolloutMode;
  maintenanceWindow: { start: string; end: string } | null;
  state: RolloutState;
  currentStage: number;
  stageStartedAt: string | null;
  createdBy: string;
  createdAt: string;
};

export type StageStats = {
  stage: number;
  percent: number;
  offered: number;
  downloading: number;
  downloaded: number;
  installed: number;
  failed: number;
  reports: number;
  failureRate: number;
};

export type RolloutEvent = {
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string;
  stage: number;
  reason: string | null;
};

export type RolloutDetail = Rollout & { stats: StageStats[]; events: RolloutEvent[] };

export type Preview = { selected: number; stages: { percent: number; devices: number }[] };

export type ModelCoverage = {
  modelId: string;
  modelName: string;
  versionRange: string;
  fixedIn: string | null;
  registered: number;
  exposed: number;
  fixed: number;
  unknown: number;
};
export type Coverage = {
  models: ModelCoverage[];
  totals: { registered: number; exposed: number; fixed: number; unknown: number };
};

export const rolloutTone = (state: RolloutState): 'good' | 'bad' | 'warn' | 'plain' =>
  state === 'completed'
    ? 'good'
    : state === 'halted' || state === 'aborted'
      ? 'bad'
      : state === 'paused'
        ? 'warn'
        : 'plain';
