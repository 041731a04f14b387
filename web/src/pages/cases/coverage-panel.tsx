// Fleet coverage of a case: per affected model, how many registered devices still run an affected
// version, how many run a fixed one, and how many have not reported a version (staff only).
import { API, get } from '../../api.ts';
import { Loaded, useResource } from '../../ui.tsx';
import { ShareBar } from '../updates/share-bar.tsx';
import type { Coverage } from '../updates/types.ts';

export function CoveragePanel({ caseId }: { caseId: string }) {
  const coverage = useResource(() => get<Coverage>(`${API}/cases/${caseId}/coverage`), caseId);
  return (
    <div className="panel" id="fleet-coverage">
      <h2>Fleet coverage</h2>
      <Loaded resource={coverage}>
        {(data) =>
          data.models.length === 0 ? (
            <p className="muted">No affected models yet: set them under “Affects”.</p>
          ) : (
            <ul className="plain coverage-list">
              {data.models.map((model) => (
                <li key={`${model.modelId} ${model.versionRange}`}>
                  <strong>{model.modelName}</strong>{' '}
                  <span className="muted">
                    {model.versionRange}
                    {model.fixedIn ? `, fixed in ${model.fixedIn}` : ', no fix yet'}
                  </span>
                  <ShareBar
                    label={`${model.modelName} devices`}
                    parts={[
                      { name: 'exposed', value: model.exposed, className: 'bar-bad' },
                      { name: 'fixed', value: model.fixed, className: 'bar-good' },
                      { name: 'unknown', value: model.unknown, className: 'bar-plain' },
                    ]}
                  />
                  <span className="coverage-counts">
                    {model.exposed} exposed · {model.fixed} fixed · {model.unknown} unknown of{' '}
                    {model.registered} devices
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}
