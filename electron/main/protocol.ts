import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { appScheme, resolveAppFile } from './appUrl';
import { contentSecurityPolicy } from './csp';

/** Declares `app://` a standard, secure scheme. Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
}

/**
 * Serves the built renderer from `rendererDir` under `app://callsift/`, with the CSP on every response.
 * Requests outside the folder get 404; the page never sees file:// and so cannot read other local files.
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });
}
