import { app, type Session, type WebContents } from 'electron';
import { isAppUrl, type RendererSource } from './appUrl';
import { withoutContentSecurityPolicy } from './csp';

/** Adds the CSP (see csp.ts) to every response of `session` and refuses every permission request and check. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...withoutContentSecurityPolicy(details.responseHeaders),
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Locks down every web contents the app creates: no navigation away from the app, no new windows, no <webview>.
 * The app links nowhere outside itself, so nothing is handed to the system browser either.
 */
export function hardenWebContents(contents: WebContents, source: RendererSource): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, source)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, source)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Applies {@link hardenWebContents} to every web contents created from now on. */
export function hardenAllWebContents(source: RendererSource): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, source));
}
