import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ExportFormat, ImportMapping, ImportPreview, ImportReport, TextEncodingName } from '../../shared/contract/dto';
import { maxImportContentBytes } from '../../shared/contract/schemas';
import type { EventMap } from '../../shared/contract/services';
import { errorData } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import { api, events, host, isDesktop } from '../api';
import { downloadFile } from '../composables/download';
import { i18n } from '../i18n';
import { useNoticeStore } from './notices';
import { attempt } from './storeLoad';

/** The result of an export: where it went and how many rows. */
export interface ExportDone {
  readonly path: string;
  readonly rows: number;
}

const exportExtensions: Record<ExportFormat, string> = { jsonl: 'jsonl', csv: 'csv', rasa: 'yml', xlsx: 'xlsx' };

/** The file a preview is about: a path (desktop) or an upload's bytes (browser), kept until it is imported. */
type PreviewSource = { readonly path: string } | { readonly fileName: string; readonly dataBase64: string };

/** What the user chose in the preview: passed to the preview again and to the import, so both read alike. */
export interface ImportChoices {
  readonly encoding?: TextEncodingName;
  readonly sheet?: string;
  readonly delimiter?: ',' | ';' | '\t' | '|';
  readonly mapping?: ImportMapping;
}

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

  const preview = ref<ImportPreview | null>(null);
  const previewing = ref(false);
  const choices = ref<ImportChoices>({});
  let source: PreviewSource | null = null;

  /** Reads the first rows of the chosen file with the current choices; nothing is imported. */
  async function refreshPreview(): Promise<void> {
    if (!source) return;
    previewing.value = true;
    try {
      const c = choices.value;
      preview.value = await api.transfer.previewImport({ ...source, ...c, ...(c.mapping ? { mapping: { ...c.mapping } } : {}), rows: 20 });
    } catch (err) {
      useNoticeStore().error(err);
      if (!preview.value) source = null;
    } finally {
      previewing.value = false;
    }
  }

  async function startPreview(next: PreviewSource): Promise<void> {
    source = next;
    choices.value = {};
    preview.value = null;
    report.value = null;
    await refreshPreview();
  }

  /** Changes one choice (encoding, sheet, delimiter or a column's field) and reads the preview again. */
  async function choose(change: ImportChoices): Promise<void> {
    choices.value = { ...choices.value, ...change };
    await refreshPreview();
  }

  /** Imports the previewed file as the preview read it; the mapping shown is sent, so it is remembered. */
  async function confirmImport(): Promise<ImportReport | null> {
    const from = source;
    const shown = preview.value;
    if (!from || !shown) return null;
    const options = { ...choices.value, mapping: { ...(choices.value.mapping ?? shown.mapping) } };
    if (shown.encoding && !options.encoding) options.encoding = shown.encoding;
    if (shown.sheet && !options.sheet) options.sheet = shown.sheet;
    const result = await run(() => ('path' in from ? api.transfer.importFile({ path: from.path, ...options }) : api.transfer.importContent({ ...from, ...options })));
    if (result) cancelPreview();
    return result;
  }

  function cancelPreview(): void {
    source = null;
    preview.value = null;
    choices.value = {};
  }

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
      useNoticeStore().error(err);
      return null;
    } finally {
      off();
      importing.value = false;
      progress.value = null;
    }
  }

  /** Browser mode: previews a file the user picked in a file input (at most maxImportContentBytes; the server reads no more). */
  async function previewBrowserFile(file: File): Promise<void> {
    if (file.size > maxImportContentBytes) {
      const mb = (bytes: number) => Math.ceil(bytes / 1024 / 1024);
      useNoticeStore().error(errorData('invalid_argument', sentence('upload_too_large', { name: file.name, size: mb(file.size), max: mb(maxImportContentBytes) })));
      return;
    }
    await startPreview({ fileName: file.name, dataBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) });
  }

  /** Desktop: asks for a file with the native dialog and previews it. */
  async function previewWithDialog(): Promise<void> {
    await attempt(async () => {
      const { path } = await host.showOpenDialog({ filters: [{ name: 'JSONL / CSV / TSV / Excel', extensions: ['jsonl', 'ndjson', 'json', 'csv', 'tsv', 'txt', 'xlsx'] }] });
      if (path) await startPreview({ path });
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

  return {
    importing,
    exporting,
    report,
    progress,
    percent,
    isDesktop,
    preview,
    previewing,
    choices,
    previewBrowserFile,
    previewWithDialog,
    choose,
    confirmImport,
    cancelPreview,
    exportLabels,
  };
});

/** Base64 of a file's bytes, so an upload in any encoding (GBK, UTF-16) or a workbook reaches the service as it is. */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}
