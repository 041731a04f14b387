// The vulnerability disclosure policy page, rendered from the editable policy settings.
import { type Html, html } from '../../platform/html.ts';
import type { Policy } from '../policy-settings.ts';

export function policyPage(policy: Policy, values: { orgName: string; securityEmail: string }): Html {
  return html`<h1>Vulnerability disclosure policy</h1>
<p>${values.orgName} welcomes reports of security vulnerabilities in its products from anyone. This page says what is in scope, how to report, what you can expect from us, and how we publish.</p>
<h2>Scope</h2>
<p>In scope:</p>
<ul id="in-scope">${policy.inScope.map((item) => html`<li>${item}</li>`)}</ul>
<p>Out of scope:</p>
<ul id="out-of-scope">${policy.outOfScope.map((item) => html`<li>${item}</li>`)}</ul>
<h2>How to report</h2>
<p>Use the <a href="/report">report form</a> (it works without JavaScript and over Tor), our JSON API at <code>POST /api/v1/reports</code>, or mail <a href="mailto:${values.securityEmail}">${values.securityEmail}</a>. You may stay anonymous. To keep details confidential, encrypt them to our <a href="/.well-known/openpgp-key.asc">OpenPGP key</a>.</p>
<p>Please include the product and firmware version, what the flaw is, how to reproduce it and what an attacker could do. Do not access, change or delete data that is not yours, and stop as soon as you have shown the flaw.</p>
<h2>What you can expect</h2>
<ul id="expectations">
<li>An immediate tracking id and a private status link when you report.</li>
<li>Confirmation from a person within ${policy.acknowledgeWithinBusinessDays} business days.</li>
<li>Our assessment (triage) within ${policy.triageWithinDays} days.</li>
<li>News on progress at least every ${policy.updateEveryDays} days until the issue is fixed.</li>
<li>Credit in our advisory, by name or anonymously, as you choose.</li>
</ul>
<h2>Safe harbor</h2>
<p id="safe-harbor">${policy.safeHarbor}</p>
<h2>Disclosure timeline</h2>
<p id="disclosure">We aim to fix and publish an advisory within ${policy.disclosureDays} days of your report. We agree the publication date with you; if a fix takes longer, we tell you why and agree a new date. Please give us that time before you publish.</p>`;
}
