import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { purlBase } from './purl-base.ts';

describe('purlBase', () => {
  it('drops version, qualifiers and subpath, and lowercases what the purl spec says is case-insensitive', () => {
    const cases: [string, string][] = [
      ['pkg:npm/lodash@4.17.21', 'pkg:npm/lodash'],
      ['pkg:NPM/%40Angular/Core@17.0.1?x=1#lib/a', 'pkg:npm/%40angular/core'],
      ['pkg:npm/@scope/name@1.0.0', 'pkg:npm/%40scope/name'],
      ['pkg:pypi/Django_Rest@3.1', 'pkg:pypi/django-rest'],
      ['pkg:GitHub/Package-URL/PurL-Spec@v1.0', 'pkg:github/package-url/purl-spec'],
      ['pkg:deb/debian/CURL@7.88.1-10?arch=amd64&distro=bookworm', 'pkg:deb/debian/curl'],
      ['pkg:composer/Laravel/Framework@7.12.0', 'pkg:composer/laravel/framework'],
      ['  pkg:generic/openssl@3.0.7  ', 'pkg:generic/openssl'],
    ];
    for (const [purl, base] of cases) assert.equal(purlBase(purl), base, purl);
  });

  it('keeps case where the type is case-sensitive', () => {
    assert.equal(
      purlBase('pkg:maven/org.Apache.Commons/Commons-Lang3@3.12.0'),
      'pkg:maven/org.Apache.Commons/Commons-Lang3',
    );
    assert.equal(purlBase('pkg:generic/OpenSSL@3.0.7'), 'pkg:generic/OpenSSL');
  });

  it('still gives a base for golang purls, on which packageurl-js 2.0.1 crashes', () => {
    assert.equal(
      purlBase('pkg:golang/github.com/Gorilla/mux@v1.8.0#sub'),
      'pkg:golang/github.com/Gorilla/mux',
    );
    assert.equal(
      purlBase('pkg:Golang/google.golang.org/genproto?x=1'),
      'pkg:golang/google.golang.org/genproto',
    );
  });

  it('gives null for text that is not a purl', () => {
    for (const text of ['', 'openssl', 'https://example.com/x', 'pkg:', 'pkg:npm'])
      assert.equal(purlBase(text), null, text);
  });
});
