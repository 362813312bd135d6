/** A file the services returned for the browser to save: text as `content`, binary formats (xlsx) as `contentBase64`. */
export interface DownloadableFile {
  readonly fileName: string;
  readonly mimeType?: string;
  readonly content: string;
  readonly contentBase64?: string;
}

/** Decodes base64 to bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The file as a Blob: the bytes of `contentBase64` when given, else the text `content` (UTF-8), typed with its MIME type. */
export function blobOf(file: DownloadableFile): Blob {
  if (file.contentBase64 !== undefined) return new Blob([base64ToBytes(file.contentBase64)], { type: file.mimeType ?? 'application/octet-stream' });
  return new Blob([file.content], { type: file.mimeType ?? 'text/plain;charset=utf-8' });
}

/** Saves `file` through the browser's download (a temporary object URL clicked on an anchor). */
export function downloadFile(file: DownloadableFile): void {
  const url = URL.createObjectURL(blobOf(file));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
