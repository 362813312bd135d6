import { isAbsolute, join, normalize, relative, sep } from 'node:path';

/** The privileged scheme the packaged renderer is served from (instead of file://). */
export const appScheme = 'app';
/** The host part of every packaged renderer URL. */
export const appHost = 'callsift';
/** Origin of the packaged renderer, e.g. `app://callsift`. */
export const appOrigin = `${appScheme}://${appHost}`;
/** The URL the main window loads when the app is packaged or previewed. */
export const appEntryUrl = `${appOrigin}/index.html`;

/** Where the renderer comes from: the built files behind `app://`, or the electron-vite dev server. */
export type RendererSource = { readonly kind: 'bundle'; readonly dir: string } | { readonly kind: 'devServer'; readonly url: string };

/** Scheme, host and port of `url` (Node's URL reports the origin of custom schemes as "null"). */
function originOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/** Origin the renderer is loaded from for `source`. */
export function rendererOrigin(source: RendererSource): string {
  return source.kind === 'bundle' ? appOrigin : originOf(source.url);
}

/** True when `url` belongs to our own renderer (same origin as `source`); false for anything unparsable. */
export function isAppUrl(url: string, source: RendererSource): boolean {
  try {
    return originOf(url) === rendererOrigin(source);
  } catch {
    return false;
  }
}

/**
 * Maps an `app://callsift/…` request URL to a file inside `rendererDir`.
 * Returns null for other origins and for paths escaping the folder (`..`, encoded separators).
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relativePath = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = normalize(rendererDir);
  const file = normalize(join(root, relativePath));
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}
