import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ExportFormat, ImportReport } from '../../shared/contract/dto';
import { maxImportContentBytes } from '../../shared/contract/schemas';
import type { EventMap } from '../../shared/contract/services';
import { toErrorData } from '../../shared/contract/dispatch';
import { ContractError } from '../../shared/contract/errors';
import { wordImportIssue } from '../composables/importIssues';
import { api, events, host, isDesktop } from '../api';
import { downloadFile } from '../composables/download';
import { i18n } from '../i18n';
import { useNoticeStore } from './notices';

/** The result of an export: where it went and how many rows. */
export interface ExportDone {
  readonly path: string;
  readonly rows: number;
}

const exportExtensions: Record<ExportFormat, string> = { jsonl: 'jsonl', csv: 'csv', rasa: 'yml', xlsx: 'xlsx' };

/** How far a running import got, as the services last reported it. */
export type ImportProgress = EventMap['onDidImportProgress'];

/** Import (file picker or upload) with its progress and report, and export (save dialog or download). */
export const useImportStore = defineStore('import', () => {
  const importing = ref(false);
  const exporting = ref(false);
  const report = ref<ImportReport | null>(null);
  const progress = ref<ImportProgress | null>(null);
  const percent = computed(() => {
    const p = progress.value;
    if (!p) return 0;
    return p.totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 100;
  });

  async function run(work: () => Promise<ImportReport | null>): Promise<ImportReport | null> {
    importing.value = true;
    progress.value = null;
    const off = events.on('onDidImportProgress', (p) => {
      if (importing.value) progress.value = p;
    });
    try {
      const result = await work();
      if (result) report.value = result;
      return result;
    } catch (err) {
      useNoticeStore().error(wordRefusal(err));
      return null;
    } finally {
      off();
      importing.value = false;
      progress.value = null;
    }
  }

  /** Browser mode: imports a file the user picked in a file input (at most maxImportContentBytes; the server reads no more). */
  function importBrowserFile(file: File): Promise<ImportReport | null> {
    if (file.size > maxImportContentBytes) {
      const mb = (bytes: number) => Math.ceil(bytes / 1024 / 1024);
      const message = i18n.global.t('transfer.tooLarge', { name: file.name, size: mb(file.size), max: mb(maxImportContentBytes) });
      useNoticeStore().error({ code: 'invalid_argument', message });
      return Promise.resolve(null);
    }
    return run(async () => api.transfer.importContent({ fileName: file.name, dataBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) }));
  }

  /** Desktop: asks for a file with the native dialog and streams it in. */
  function importWithDialog(): Promise<ImportReport | null> {
    return run(async () => {
      const { path } = await host.showOpenDialog({ filters: [{ name: 'JSONL / CSV / TSV / Excel', extensions: ['jsonl', 'ndjson', 'json', 'csv', 'tsv', 'txt', 'xlsx'] }] });
      return path ? api.transfer.importFile({ path }) : null;
    });
  }

  /** Exports labels: a save dialog on desktop, a download in the browser. */
  async function exportLabels(format: ExportFormat): Promise<ExportDone | null> {
    exporting.value = true;
    try {
      if (isDesktop) {
        const ext = exportExtensions[format];
        const name = i18n.global.t(`transfer.formats.${format}`);
        const { path } = await host.showSaveDialog({ defaultName: format === 'rasa' ? 'nlu.yml' : `labels.${ext}`, filters: [{ name, extensions: [ext] }] });
        if (!path) return null;
        const r = await api.transfer.exportFile({ path, format });
        return { path: r.path, rows: r.rows };
      }
      const r = await api.transfer.exportContent({ format });
      downloadFile(r);
      return { path: r.fileName, rows: r.rows };
    } catch (err) {
      useNoticeStore().error(err);
      return null;
    } finally {
      exporting.value = false;
    }
  }

  return { importing, exporting, report, progress, percent, isDesktop, importBrowserFile, importWithDialog, exportLabels };
});

/** Base64 of a file's bytes, so an upload in any encoding (GBK, UTF-16) or a workbook reaches the service as it is. */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/** A file refused as a whole (details.issue) worded in the UI's language; other errors as they are. */
function wordRefusal(err: unknown): unknown {
  const data = toErrorData(err);
  const issue = data.details?.issue;
  if (issue === undefined) return err;
  const g = i18n.global;
  const message = wordImportIssue({ t: (key, params) => g.t(key, params), te: (key) => g.te(key) }, { ...issue, reason: data.message });
  return new ContractError(data.code, message, data.details);
}
