// The reports a case holds (the one it was opened from and the duplicates attached to it), each with
// its reporter and, opened, every field as the reporter wrote it and how they want to be credited.
import { useState } from 'react';
import { API, get } from '../../api.ts';
import type { CaseDetail, CaseReport, StaffReport } from '../../types.ts';
import { formatDate, Loaded, useResource } from '../../ui.tsx';
import { Pill } from '../../widgets.tsx';
import { Revealed } from './case-text.tsx';
import { ReportFields } from './incoming-reports.tsx';

export function CaseReports({ item }: { item: CaseDetail }) {
  const reports = item.reports ?? [];
  return (
    <div className="panel" id="case-reports">
      <h2>Reports</h2>
      {reports.length === 0 ? (
        <p className="empty">No report is linked to this case.</p>
      ) : (
        <ul className="plain report-list">
          {reports.map((report) => (
            <CaseReportItem key={report.id} report={report} />
          ))}
        </ul>
      )}
    </div>
  );
}

function CaseReportItem({ report }: { report: CaseReport }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <p>
        <code>{report.trackingId}</code>{' '}
        <Pill tone={report.relation === 'origin' ? 'plain' : 'warn'}>
          {report.relation === 'origin' ? 'opened the case' : 'duplicate'}
        </Pill>{' '}
        {report.encrypted && <Pill tone="warn">encrypted</Pill>}
      </p>
      <p className="report-title">
        <Revealed text={report.title} />
      </p>
      <p className="muted small">
        From {report.reporterName ? <Revealed text={report.reporterName} /> : 'an unnamed reporter'}
        {report.reporterEmail && (
          <>
            {' '}
            (<Revealed text={report.reporterEmail} />)
          </>
        )}
        {' · received '}
        {formatDate(report.receivedAt)}
        {report.relation === 'duplicate' && ` · attached ${formatDate(report.attachedAt)}`}
      </p>
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide the report' : 'Show the report'}
        <span className="visually-hidden"> {report.trackingId}</span>
      </button>
      {open && <ReportDetail reportId={report.id} />}
    </li>
  );
}

function ReportDetail({ reportId }: { reportId: string }) {
  const report = useResource(() => get<StaffReport>(`${API}/reports/${reportId}`), `report:${reportId}`);
  return <Loaded resource={report}>{(r) => <ReportFields report={r} />}</Loaded>;
}
