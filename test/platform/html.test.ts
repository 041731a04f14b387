import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, revealed } from '../../src/platform/html.ts';

describe('html templates', () => {
  it('escapes every character that could open markup, an attribute or a template literal', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&amp;\`</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&#96;&lt;/a&gt;',
    );
  });

  it('escapes an interpolated string in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>`;
    const out = html`<p title="${hostile}">${hostile}</p>`.toString();
    assert.equal(
      out,
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>',
    );
    assert.ok(!out.includes('<script'));
  });

  it('escapes each item of an interpolated list and joins them without separators', () => {
    const items = ['<b>', 'a & b'];
    assert.equal(
      html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.toString(),
      '<ul><li>&lt;b&gt;</li><li>a &amp; b</li></ul>',
    );
    assert.equal(html`${['<i>', ['<u>']]}`.toString(), '&lt;i&gt;&lt;u&gt;');
  });

  it('keeps markup built with html as it is, without escaping it twice', () => {
    const inner = html`<em>${'<x>'}</em>`;
    assert.equal(html`<p>${inner}</p>`.toString(), '<p><em>&lt;x&gt;</em></p>');
  });

  it('does not trust strings that merely look like html results', () => {
    const lookalike = { toString: () => '<script>alert(1)</script>' } as unknown as string;
    assert.equal(html`${lookalike}`.toString(), '&lt;script&gt;alert(1)&lt;/script&gt;');
    const forged = JSON.parse('{"raw": "<script>"}') as string;
    assert.ok(!html`${forged}`.toString().includes('<script>'));
  });

  it('renders nothing for null, undefined and false, and text for numbers and true', () => {
    assert.equal(html`[${null}|${undefined}|${false}|${0}|${true}|${''}]`.toString(), '[|||0|true|]');
  });

  it('shows bidi controls and invisible characters as visible code points', () => {
    const out = revealed('invoice\u202Egnp.exe\u200B<b>').toString();
    assert.equal(
      out,
      'invoice<span class="ctl" title="invisible character">[U+202E]</span>gnp.exe' +
        '<span class="ctl" title="invisible character">[U+200B]</span>&lt;b&gt;',
    );
    assert.equal(revealed('plain text').toString(), 'plain text');
  });
});
