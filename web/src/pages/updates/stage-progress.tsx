// Per-stage progress of a rollout: a stacked bar per stage (installed, downloaded, downloading,
// failed, offered but not yet reporting) drawn as inline SVG, and the same numbers in a table.
import { ShareBar } from './share-bar.tsx';
import type { StageStats } from './types.ts';

/**
 * The API counts the devices that reached each step (a device that installed also downloaded); the
 * bar shows where each device is now, so every device is in one share only.
 */
const parts = (stats: StageStats) => {
  const done = stats.installed + stats.failed;
  const downloaded = Math.max(stats.downloaded, done);
  const downloading = Math.max(stats.downloading, downloaded);
  return [
    { name: 'installed', value: stats.installed, className: 'bar-good' },
    { name: 'failed', value: stats.failed, className: 'bar-bad' },
    { name: 'downloaded, not installed yet', value: downloaded - done, className: 'bar-info' },
    { name: 'downloading', value: downloading - downloaded, className: 'bar-light' },
    {
      name: 'offered, no report yet',
      value: Math.max(0, stats.offered - downloading),
      className: 'bar-plain',
    },
  ];
};

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function StageProgress({ stats, currentStage }: { stats: StageStats[]; currentStage: number }) {
  return (
    <div className="panel" id="stage-progress">
      <h2>Progress per stage</h2>
      <ul className="legend" aria-hidden="true">
        {parts(stats[0] ?? emptyStats).map((part) => (
          <li key={part.name}>
            <span className={`swatch ${part.className}`} />
            {part.name}
          </li>
        ))}
      </ul>
      <div className="stage-chart">
        {stats.map((stage) => (
          <div className="stage-row" key={stage.stage}>
            <span>
              Stage {stage.stage + 1}
              {stage.stage === currentStage ? ' (now)' : ''}
            </span>
            <ShareBar label={`Stage ${stage.stage + 1}`} parts={parts(stage)} height={18} />
          </div>
        ))}
      </div>
      <div className="table-wrap">
        <table id="stage-table">
          <caption className="visually-hidden">Devices per stage</caption>
          <thead>
            <tr>
              <th>Stage</th>
              <th className="num">Percent</th>
              <th className="num">Offered</th>
              <th className="num">Downloading</th>
              <th className="num">Downloaded</th>
              <th className="num">Installed</th>
              <th className="num">Failed</th>
              <th className="num">Failure rate</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((stage) => (
              <tr key={stage.stage}>
                <td>{stage.stage + 1}</td>
                <td className="num">{stage.percent}%</td>
                <td className="num">{stage.offered}</td>
                <td className="num">{stage.downloading}</td>
                <td className="num">{stage.downloaded}</td>
                <td className="num">{stage.installed}</td>
                <td className="num">{stage.failed}</td>
                <td className="num">{percent(stage.failureRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        The table counts the devices that reached each step (an installed device also downloaded); the bars
        show where each device is now.
      </p>
    </div>
  );
}

const emptyStats: StageStats = {
  stage: 0,
  percent: 0,
  offered: 0,
  downloading: 0,
  downloaded: 0,
  installed: 0,
  failed: 0,
  reports: 0,
  failureRate: 0,
};
