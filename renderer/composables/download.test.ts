// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64ToBytes, blobOf, downloadFile } from './download';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('browser downloads', () => {
  it('decodes base64 to the exact bytes, including bytes above 0x7f', () => {
    const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80, 0xe4, 0xb8, 0xad]);
    const base64 = btoa(String.fromCharCode(...bytes));
    expect([...base64ToBytes(base64)]).toEqual([...bytes]);
    expect(base64ToBytes('')).toHaveLength(0);
  });

  it('builds a binary Blob with the xlsx MIME type from contentBase64', async () => {
    const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    const blob = blobOf({ fileName: 'labels.xlsx', mimeType: XLSX, content: '', contentBase64: btoa(String.fromCharCode(...bytes)) });
    expect(blob.type).toBe(XLSX);
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...bytes]);
  });

  it('keeps text exports as UTF-8 text, BOM and Chinese included', async () => {
    const blob = blobOf({ fileName: 'labels.csv', mimeType: 'text/csv;charset=utf-8', content: '\uFEFFtext\n否定/拒绝\n' });
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect([...new Uint8Array(await blob.arrayBuffer()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blob.arrayBuffer())).toBe('\uFEFFtext\n否定/拒绝\n');
  });

  it('clicks a download link named after the file', () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: Array<{ download: string; href: string }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    });
    downloadFile({ fileName: 'ws-model-v2-report.xlsx', mimeType: XLSX, content: '', contentBase64: 'UEsDBA==' });
    expect(clicked).toEqual([{ download: 'ws-model-v2-report.xlsx', href: 'blob:test' }]);
    expect(blobs[0]?.type).toBe(XLSX);
    expect(blobs[0]?.size).toBe(4);
    expect(document.querySelectorAll('a')).toHaveLength(0);
  });
});
