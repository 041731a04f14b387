// The frame of every public page: no scripts, no external assets, one stylesheet served by us.
import { type Html, html } from '../platform/html.ts';

export const STYLESHEET_PATH = '/assets/site.css';

export function page(options: { title: string; orgName: string; body: Html; status?: number }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · ${options.orgName} security</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header class="site"><a href="/">${options.orgName} · Product security</a>
<nav><a href="/policy">Policy</a> <a href="/report">Report a vulnerability</a> <a href="/.well-known/security.txt">security.txt</a></nav></header>
<main>
${options.body}
</main>
<footer class="site">Reports are handled by ${options.orgName}'s product security team. Powered by OpenPSIRT.</footer>
</body>
</html>
`.toString();
}

export const stylesheet = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5a6472; --line: #d5dae1; --accent: #0b5cad; --bad: #b3261e; --ok: #1e6b35; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header.site, footer.site { padding: 0.75rem 1rem; background: #fff; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; justify-content: space-between; }
footer.site { border-top: 1px solid var(--line); border-bottom: 0; color: var(--muted); font-size: 0.85rem; margin-top: 3rem; }
header.site a { color: var(--ink); font-weight: 600; text-decoration: none; }
header.site nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
header.site nav a { font-weight: 400; color: var(--accent); }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
a { color: var(--accent); }
form .field { margin: 1rem 0; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.hint { color: var(--muted); font-size: 0.9rem; margin: 0.1rem 0 0.35rem; }
input[type=text], input[type=email], input[type=date], select, textarea { width: 100%; padding: 0.5rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
textarea { min-height: 8rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9rem; }
.field.invalid input, .field.invalid textarea, .field.invalid select { border-color: var(--bad); }
.error { color: var(--bad); font-weight: 600; margin: 0.25rem 0; }
.errors { border: 2px solid var(--bad); background: #fff; padding: 0.75rem 1rem; border-radius: 4px; }
fieldset { border: 1px solid var(--line); border-radius: 4px; padding: 0.5rem 1rem; background: #fff; }
legend { font-weight: 600; }
.choice { font-weight: 400; display: inline-block; margin-right: 1.5rem; }
button { font: inherit; padding: 0.6rem 1.2rem; background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
.trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; }
.panel > :first-child { margin-top: 0; }
.panel > :last-child { margin-bottom: 0; }
.success { border-left: 6px solid var(--ok); }
.token { font-family: ui-monospace, monospace; word-break: break-all; background: #eef2f7; padding: 0.5rem; border-radius: 4px; display: block; }
.verbatim { white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: 0.9rem; margin: 0.25rem 0; }
ol.timeline { list-style: none; padding: 0; }
ol.timeline li { border-left: 3px solid var(--line); padding: 0.25rem 0 0.75rem 1rem; }
span.ctl { background: #fde7e7; color: var(--bad); font-size: 0.8em; border-radius: 3px; padding: 0 0.2em; }
time { color: var(--muted); font-size: 0.9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
`;
