import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import type { ExportFormat, ImportReport } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { importFieldNames, schemas, textEncodingNames, type MethodInput } from '../../shared/contract/schemas';
import { createServiceHost, type ServiceHost } from '../services';

export const usage = `Usage:
  npm run cli -- import FILE --workspace DIR [--encoding ENC] [--sheet NAME] [--mapping FILE.json] [--data-dir DIR]
  npm run cli -- export --workspace DIR --format jsonl|csv|rasa|xlsx --out FILE [--data-dir DIR]

  import   reads FILE (JSONL, CSV, TSV, xlsx) into the workspace in DIR (created when missing), as the app's
           import does; progress goes to stderr, the report to stdout.
           --encoding ENC    the text encoding (${textEncodingNames.join(', ')}); detected when left out
           --sheet NAME      the sheet of an xlsx workbook (default: the first)
           --mapping FILE    a JSON object of header → field (${importFieldNames.join(', ')}) or null to ignore
                             a column; other headers are mapped by name
  export   writes the workspace's labeled utterances to FILE.
  --data-dir DIR  where settings (the annotator's name) live (default ~/.callsift, or CALLSIFT_DATA_DIR)

Exit codes: 0 done; 1 refused or failed (nothing of the refused file was imported; the reason is on stderr);
2 imported, but some rows were bad (each named by line on stdout); 64 wrong usage.`;

/** Where the command line writes: stdout for results, stderr for progress and problems. */
export interface CliOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const EXIT = { ok: 0, failed: 1, partial: 2, usage: 64 } as const;

const FORMATS: readonly ExportFormat[] = ['jsonl', 'csv', 'rasa', 'xlsx'];

/** Runs one command of `npm run cli`; resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        workspace: { type: 'string' },
        'data-dir': { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        encoding: { type: 'string' },
        sheet: { type: 'string' },
        mapping: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(usage);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (!values.workspace) return usageError(io, 'Name the workspace folder with --workspace DIR.');
  let plan: (host: ServiceHost) => Promise<number>;
  if (command === 'import') {
    if (rest.length !== 1) return usageError(io, 'import takes one FILE.');
    const file = resolve(rest[0]!);
    let mapping: unknown;
    if (values.mapping !== undefined) {
      try {
        mapping = JSON.parse(await readFile(resolve(values.mapping), 'utf8'));
      } catch (err) {
        return usageError(io, `Cannot read the mapping ${values.mapping}: ${messageOf(err)}`);
      }
    }
    const arg = { path: file, encoding: values.encoding, sheet: values.sheet, mapping };
    const checked = schemas['transfer.importFile'].safeParse(Object.fromEntries(Object.entries(arg).filter(([, v]) => v !== undefined)));
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return usageError(io, `--${String(issue?.path[0] ?? 'mapping')}: ${issue?.message ?? 'not accepted'}.`);
    }
    const options = checked.data;
    plan = (host) => importFile(host, options, io);
  } else if (command === 'export') {
    const format = values.format as ExportFormat | undefined;
    if (!format || !FORMATS.includes(format)) return usageError(io, `--format must be one of ${FORMATS.join(', ')}.`);
    if (!values.out) return usageError(io, 'Name the file to write with --out FILE.');
    if (rest.length > 0) return usageError(io, 'export takes no FILE argument; use --out FILE.');
    const out = resolve(values.out);
    plan = (host) => exportFile(host, format, out, io);
  } else {
    return usageError(io, `Unknown command "${command}".`);
  }

  const dataDir = resolve(values['data-dir'] ?? process.env.CALLSIFT_DATA_DIR ?? join(homedir(), '.callsift'));
  let host: ServiceHost;
  try {
    host = await createServiceHost({ dataDir, workspaceFolder: resolve(values.workspace), mode: 'cli', retrainAfterLabels: 0 });
  } catch (err) {
    io.err(`Could not open the workspace ${resolve(values.workspace)}: ${messageOf(err)}`);
    return EXIT.failed;
  }
  let code: number;
  try {
    const info = await host.services.workspace.getInfo({});
    for (const notice of info.recovery) io.err(`Recovered ${notice.file}: ${notice.message}`);
    code = await plan(host);
  } catch (err) {
    io.err(messageOf(err));
    code = EXIT.failed;
  }
  const problem = await host.close();
  if (problem) {
    io.err(`Not everything could be saved when closing: ${problem}`);
    return EXIT.failed;
  }
  return code;
}

async function importFile(host: ServiceHost, arg: MethodInput<'transfer.importFile'>, io: CliOutput): Promise<number> {
  let lastPercent = -1;
  const off = host.on('onDidImportProgress', (p) => {
    const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
    if (percent === lastPercent) return;
    lastPercent = percent;
    io.err(`${p.file}: ${percent}% (${p.rows} rows)`);
  });
  try {
    const report = await host.services.transfer.importFile(arg);
    for (const line of reportLines(report)) io.out(line);
    return report.errors.length + report.moreErrors > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    off();
  }
}

/** The import report as lines: the totals, then each bad row as `file:line: reason`. */
export function reportLines(report: ImportReport): string[] {
  const lines = [
    `${report.file}: ${report.rows} rows read; ${report.callsImported} calls, ${report.utterancesImported} utterances and ${report.labelsImported} labels imported.`,
    `${report.file}: rows ${report.rowsNew} new, ${report.rowsUpdated} updated, ${report.rowsUnchanged} unchanged, ${report.rowsSkipped} skipped (${report.format}${report.encoding ? `, ${report.encoding}` : ''}).`,
  ];
  for (const e of report.errors) lines.push(`${report.file}:${e.line}: ${e.field ? `${e.field}: ` : ''}${e.reason}`);
  if (report.moreErrors > 0) lines.push(`${report.file}: ${report.moreErrors} more bad rows are not listed.`);
  return lines;
}

async function exportFile(host: ServiceHost, format: ExportFormat, out: string, io: CliOutput): Promise<number> {
  const report = await host.services.transfer.exportFile({ path: out, format });
  io.out(`${basename(report.path)}: ${report.rows} labeled utterances written as ${report.format} to ${report.path}.`);
  return EXIT.ok;
}

function usageError(io: CliOutput, message: string): number {
  io.err(`${message}\n\n${usage}`);
  return EXIT.usage;
}

function messageOf(err: unknown): string {
  if (err instanceof ContractError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
