// Shown once after a report is stored: the tracking id and the private status link.
import { type Html, html } from '../../platform/html.ts';

export function acknowledgementPage(values: {
  trackingId: string;
  statusUrl: string;
  emailed: boolean;
}): Html {
  return html`<div class="panel success" role="status">
<h1>Thank you: your report is stored</h1>
<p>Your tracking id is <strong id="tracking-id">${values.trackingId}</strong>.</p>
</div>
<h2>Your private status link</h2>
<p>Use this link to follow your report, answer our questions and send more files. <strong>Save it now</strong>: it is shown only here${values.emailed ? ' and in the acknowledgement mail we are sending you' : ''}, and anyone who has it can act as you.</p>
<a class="token" id="status-link" href="${values.statusUrl}">${values.statusUrl}</a>
<h2>What happens next</h2>
<p>Our security team reviews every report. See the <a href="/policy">policy</a> for how quickly we answer.</p>`;
}
