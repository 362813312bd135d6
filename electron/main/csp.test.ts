import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withoutContentSecurityPolicy } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows scripts from our own origin only and forbids plugins, base and framing', () => {
    const d = directives(contentSecurityPolicy);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|\*/);
  });

  it('is the exact literal security.ts sends in its response headers', () => {
    const source = readFileSync(resolve(__dirname, 'security.ts'), 'utf8');
    expect(source).toContain(`'Content-Security-Policy': [\n          "${contentSecurityPolicy}",\n        ]`);
  });
});

describe('withoutContentSecurityPolicy', () => {
  it('drops any server CSP, whatever its case, and keeps other headers', () => {
    expect(
      withoutContentSecurityPolicy({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'], 'CONTENT-SECURITY-POLICY': 'x' }),
    ).toEqual({ 'Content-Type': ['text/html'] });
    expect(withoutContentSecurityPolicy(undefined)).toEqual({});
  });
});
