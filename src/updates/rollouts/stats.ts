// A rollout's statistics per stage, from its offers and the device reports about its release. A
// stage's reports are its devices' install outcomes: installed plus failed (download or install).
import type { Db } from '../../db/database.ts';
import { type Rollout, stageCounts } from './store.ts';

export type StageStats = {
  stage: number;
  percent: number;
  offered: number;
  downloading: number;
  downloaded: number;
  installed: number;
  failed: number;
  reports: number;
  /** failed / reports, 0..1; 0 without reports. */
  failureRate: number;
};

/** With `reportsSince`, only the reports received from then on count (the advance job's view). */
export async function rolloutStats(db: Db, rollout: Rollout, reportsSince?: Date): Promise<StageStats[]> {
  const counts = await stageCounts(db, rollout.id, rollout.releaseId, reportsSince);
  return rollout.stages.map((stage, index) => {
    const found = counts.find((row) => row.stage === index);
    const installed = found?.installed ?? 0;
    const failed = found?.failed ?? 0;
    const reports = installed + failed;
    return {
      stage: index,
      percent: stage.percent,
      offered: found?.offered ?? 0,
      downloading: found?.downloading ?? 0,
      downloaded: found?.downloaded ?? 0,
      installed,
      failed,
      reports,
      failureRate: reports === 0 ? 0 : failed / reports,
    };
  });
}
