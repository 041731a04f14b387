// The report form: plain HTML that works without JavaScript and re-shows entered values with a
// message beside each field that needs attention.

import type { FieldErrors } from '../../platform/errors.ts';
import { type Html, html } from '../../platform/html.ts';

export type FormValues = Record<string, string>;

export type FormLimits = {
  maxAttachments: number;
  maxAttachmentBytes: number;
  maxTotalAttachmentBytes: number;
};

const mib = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MiB`;

type FieldOptions = { name: string; label: string; hint?: string; errors: FieldErrors };

function field(options: FieldOptions, control: Html): Html {
  const error = options.errors[options.name];
  return html`<div class="field${error ? ' invalid' : ''}">
<label for="${options.name}">${options.label}</label>
${options.hint ? html`<p class="hint" id="${options.name}-hint">${options.hint}</p>` : ''}
${error ? html`<p class="error" id="${options.name}-error">${fieldLabel(options.label)} ${error}</p>` : ''}
${control}
</div>`;
}

const fieldLabel = (label: string) => label.replace(/ \(optional\)$/, '');

function describedBy(name: string, errors: FieldErrors, hint: boolean): string {
  return [hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
}

const fieldLabels: Record<string, string> = {
  title: 'Title',
  productId: 'Affected product',
  productName: 'Product name',
  version: 'Version',
  description: 'Description',
  encrypted: 'Encrypted',
  stepsToReproduce: 'Steps to reproduce',
  impact: 'Impact',
  cvssVector: 'CVSS vector',
  attachments: 'Attachments',
  reporterName: 'Your name',
  reporterEmail: 'Your email',
  credit: 'Credit',
  creditName: 'Name to credit',
  preferredDisclosureDate: 'Preferred disclosure date',
  website: 'The hidden field',
};

export function reportFormPage(options: {
  products: { id: string; name: string }[];
  values: FormValues;
  errors: FieldErrors;
  formError?: string;
  limits: FormLimits;
}): Html {
  const { values, errors } = options;
  const text = (name: string, label: string, hint?: string, type = 'text') =>
    field(
      { name, label, hint, errors },
      html`<input type="${type}" id="${name}" name="${name}" value="${values[name] ?? ''}" aria-describedby="${describedBy(name, errors, Boolean(hint))}">`,
    );
  const area = (name: string, label: string, hint?: string) =>
    field(
      { name, label, hint, errors },
      html`<textarea id="${name}" name="${name}" aria-describedby="${describedBy(name, errors, Boolean(hint))}">${values[name] ?? ''}</textarea>`,
    );
  const selected = values.productId ?? '';
  const credit = values.credit ?? 'named';
  const errorCount = Object.keys(errors).length;

  return html`<h1>Report a vulnerability</h1>
<p>Tell us what you found. Only a title and a description are required; you may stay anonymous. Read the <a href="/policy">disclosure policy</a> for what is in scope and what you can expect from us.</p>
${
  errorCount > 0 || options.formError
    ? html`<div class="errors" role="alert"><p><strong>${options.formError ?? `Your report was not sent: ${errorCount === 1 ? 'one field needs' : `${errorCount} fields need`} attention.`}</strong></p>
<ul>${Object.entries(errors).map(([name, message]) => html`<li><a href="#${name}">${fieldLabels[name] ?? name}</a> ${message}</li>`)}</ul></div>`
    : ''
}
<form method="post" action="/report" enctype="multipart/form-data" novalidate>
${text('title', 'Title', 'One line, like "Unauthenticated RTSP stream on camera C200"')}
${field(
  { name: 'productId', label: 'Affected product', errors },
  html`<select id="productId" name="productId">
<option value=""${selected === '' ? html` selected` : ''}>Choose a product…</option>
${options.products.map((p) => html`<option value="${p.id}"${selected === p.id ? html` selected` : ''}>${p.name}</option>`)}
<option value="other"${selected === 'other' ? html` selected` : ''}>Another product (name it below)</option>
</select>`,
)}
${text('productName', 'Product name (optional)', 'If it is not in the list, or to be more precise (model, hardware revision)')}
${text('version', 'Firmware or app version (optional)')}
${area('description', 'Description', 'What is the flaw? To encrypt it, paste an ASCII-armored OpenPGP message encrypted to our key.')}
<div class="field"><label class="choice"><input type="checkbox" name="encrypted" value="true"${values.encrypted ? html` checked` : ''}> The description is encrypted with your <a href="/.well-known/openpgp-key.asc">OpenPGP key</a></label></div>
${area('stepsToReproduce', 'Steps to reproduce (optional)')}
${area('impact', 'Impact (optional)', 'What can an attacker do, and to whom?')}
${text('cvssVector', 'CVSS vector (optional)', 'For example CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H or a CVSS:4.0 vector')}
${field(
  {
    name: 'attachments',
    label: 'Attachments (optional)',
    hint: `Proof of concept, logs, packet captures: up to ${options.limits.maxAttachments} files, ${mib(options.limits.maxAttachmentBytes)} each, ${mib(options.limits.maxTotalAttachmentBytes)} in all. If you fix an error above, choose the files again.`,
    errors,
  },
  html`<input type="file" id="attachments" name="attachments" multiple>`,
)}
<h2>About you</h2>
${text('reporterName', 'Your name or handle (optional)')}
${text('reporterEmail', 'Your email (optional)', 'We send the acknowledgement and updates here. Without it, keep the status link we show you.', 'email')}
<fieldset class="field${errors.credit ? ' invalid' : ''}"><legend>Credit in our advisory</legend>
<label class="choice"><input type="radio" name="credit" value="named"${credit === 'named' ? html` checked` : ''}> Credit me by name</label>
<label class="choice"><input type="radio" name="credit" value="anonymous"${credit === 'anonymous' ? html` checked` : ''}> Keep me anonymous</label>
${errors.credit ? html`<p class="error">${errors.credit}</p>` : ''}
</fieldset>
${text('creditName', 'Name to credit (optional)', 'If different from the name above')}
${text('preferredDisclosureDate', 'Preferred disclosure date (optional)', 'When you would like the advisory to be published', 'date')}
<div class="trap" aria-hidden="true"><label for="website">Leave this field empty</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value=""></div>
<p><button type="submit">Send report</button></p>
</form>`;
}
