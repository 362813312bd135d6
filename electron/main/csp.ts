/**
 * The renderer's Content Security Policy. Styles allow 'unsafe-inline' because naive-ui injects style tags;
 * scripts, data and frames come only from our own origin. security.ts repeats this string as a literal in its
 * header callback so electronegativity can parse and evaluate it; csp.test.ts keeps the two identical.
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Response headers without any Content-Security-Policy the server sent (ours replaces it). */
export function withoutContentSecurityPolicy(headers: Record<string, string | string[]> | undefined): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') kept[name] = value;
  }
  return kept;
}
