/**
 * Security gate: runs electronegativity over the Electron and renderer sources (not the bundle) and fails on any
 * HIGH or MEDIUM finding that has not been reviewed below.
 *
 * Why the library API and not the CLI's CSV: electronegativity 1.10.3 writes the CSV header with an async
 * `fs.writeFile(…, 'w')` that races the async append of the rows, so the header often overwrites the first row;
 * its SARIF output drops the severity. The API returns every finding with severity and confidence; the SARIF
 * report is still written (to a temp dir) for code-scanning tools. electronegativity reads .js/.ts/.html and
 * package.json; it does not parse .vue files.
 *
 * Usage: `npx tsx scripts/securityCheck.ts` (exit 0 = pass, 1 = blocking findings or the scan failed).
 */
import { cp, mkdtemp, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
export type Confidence = 'CERTAIN' | 'FIRM' | 'TENTATIVE';

/** One electronegativity finding, normalized. `file` is relative to the scanned folder. */
export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly sample: string;
  readonly description: string;
  readonly manualReview: boolean;
}

/** A finding a person has reviewed and judged safe; it matches on check, file and a fragment of the flagged code. */
export interface ReviewedFinding {
  readonly id: string;
  readonly file: string;
  readonly sampleIncludes: string;
  readonly reason: string;
}

/**
 * Findings that cannot be removed by changing the code, with the reason. Each is a "review this" check that
 * fires on any use of the API, whatever its arguments; a new occurrence anywhere else still fails the gate.
 */
export const reviewedFindings: readonly ReviewedFinding[] = [
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'electron/main/window.ts',
    sampleIncludes: 'preload: options.preloadPath',
    reason:
      'Fires on every preload. Ours is sandboxed and context-isolated and exposes only invoke/on for contract method and event names (electron/preload/preload.test.ts proves it).',
  },
];

const severities: readonly Severity[] = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
const confidences: readonly Confidence[] = ['CERTAIN', 'FIRM', 'TENTATIVE'];

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string') {
    return (value as { name: string }).name;
  }
  return undefined;
}

/**
 * Normalizes the `issues` electronegativity's API returns. Throws on anything unexpected, so a changed tool
 * output fails the gate instead of passing it silently.
 */
export function toFindings(rawIssues: unknown): Finding[] {
  if (!Array.isArray(rawIssues)) throw new Error('electronegativity returned no issue list');
  return rawIssues.map((raw: unknown, index): Finding => {
    if (typeof raw !== 'object' || raw === null) throw new Error(`issue ${index} is not an object`);
    const r = raw as Record<string, unknown>;
    const severity = nameOf(r.severity);
    const confidence = nameOf(r.confidence);
    if (typeof r.id !== 'string' || !severities.includes(severity as Severity) || !confidences.includes(confidence as Confidence)) {
      throw new Error(`issue ${index} has an unexpected shape: ${JSON.stringify(raw).slice(0, 200)}`);
    }
    const location = (typeof r.location === 'object' && r.location !== null ? r.location : {}) as Record<string, unknown>;
    return {
      id: r.id,
      severity: severity as Severity,
      confidence: confidence as Confidence,
      file: typeof r.file === 'string' ? r.file.replace(/\\/g, '/') : 'N/A',
      line: typeof location.line === 'number' ? location.line : 0,
      column: typeof location.column === 'number' ? location.column : 0,
      sample: typeof r.sample === 'string' ? r.sample : '',
      description: typeof r.description === 'string' ? r.description : '',
      manualReview: r.manualReview === true,
    };
  });
}

/** True for findings the gate fails on. */
export function isBlockingSeverity(severity: Severity): boolean {
  return severity === 'HIGH' || severity === 'MEDIUM';
}

function matchesReview(finding: Finding, review: ReviewedFinding): boolean {
  return finding.id === review.id && finding.file === review.file && finding.sample.includes(review.sampleIncludes);
}

/** Splits findings into those that fail the gate, those covered by a review, and the rest (LOW, informational). */
export function gateFindings(
  findings: readonly Finding[],
  reviewed: readonly ReviewedFinding[] = reviewedFindings,
): { blocking: Finding[]; reviewed: Finding[]; other: Finding[] } {
  const result = { blocking: [] as Finding[], reviewed: [] as Finding[], other: [] as Finding[] };
  for (const finding of findings) {
    if (!isBlockingSeverity(finding.severity)) result.other.push(finding);
    else if (reviewed.some((review) => matchesReview(finding, review))) result.reviewed.push(finding);
    else result.blocking.push(finding);
  }
  return result;
}

type RunElectronegativity = (options: Record<string, unknown>) => Promise<unknown>;

function loadElectronegativity(): RunElectronegativity {
  const loaded: unknown = createRequire(import.meta.url)('@doyensec/electronegativity');
  if (typeof loaded !== 'function') throw new Error('@doyensec/electronegativity did not export its run function');
  return loaded as RunElectronegativity;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Copies `roots` (and `package.json` when `packageJson` is given) into a temp folder, scans it, writes a SARIF
 * report there, and returns the findings with paths like `electron/main/window.ts`.
 */
export async function scanSources(options: {
  readonly roots: readonly string[];
  readonly packageJson?: string;
  readonly electronVersion?: string;
  readonly reportDir: string;
}): Promise<{ findings: Finding[]; sarifPath: string }> {
  const input = join(options.reportDir, 'src');
  for (const root of options.roots) {
    if (!(await exists(root))) throw new Error(`Nothing to scan at ${root}`);
    await cp(root, join(input, basename(root)), { recursive: true, filter: (source) => !source.split(/[\\/]/).includes('node_modules') });
  }
  if (options.packageJson) await cp(options.packageJson, join(input, 'package.json'));
  const run = loadElectronegativity();
  const common = { input, isRelative: true, ...(options.electronVersion ? { electronVersionOverride: options.electronVersion } : {}) };
  const sarifPath = join(options.reportDir, 'electronegativity.sarif');
  const result = await run({ ...common, output: sarifPath, isSarif: true });
  const issues = typeof result === 'object' && result !== null ? (result as { issues?: unknown }).issues : undefined;
  const errors = typeof result === 'object' && result !== null ? (result as { errors?: unknown }).errors : undefined;
  if (Array.isArray(errors) && errors.length > 0) {
    throw new Error(`electronegativity could not parse ${errors.length} file(s): ${JSON.stringify(errors).slice(0, 500)}`);
  }
  return { findings: toFindings(issues), sarifPath };
}

function formatFinding(finding: Finding): string {
  return `${finding.severity.padEnd(13)} ${finding.confidence.padEnd(9)} ${finding.id.padEnd(32)} ${finding.file}:${finding.line}:${finding.column}  ${finding.description}`;
}

async function installedElectronVersion(projectRoot: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(await readFile(join(projectRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** Scans the project's `electron/` and `renderer/` sources, prints a summary, and returns the process exit code. */
export async function main(projectRoot: string): Promise<number> {
  const reportDir = await mkdtemp(join(tmpdir(), 'callsift-security-'));
  try {
    const { findings, sarifPath } = await scanSources({
      roots: [join(projectRoot, 'electron'), join(projectRoot, 'renderer')],
      packageJson: join(projectRoot, 'package.json'),
      electronVersion: await installedElectronVersion(projectRoot),
      reportDir,
    });
    const gate = gateFindings(findings);
    console.log(`\nelectronegativity: ${findings.length} finding(s); SARIF report: ${sarifPath}`);
    for (const finding of gate.other) console.log(`  note     ${formatFinding(finding)}`);
    for (const finding of gate.reviewed) console.log(`  reviewed ${formatFinding(finding)}`);
    for (const finding of gate.blocking) console.log(`  BLOCKING ${formatFinding(finding)}`);
    if (gate.blocking.length > 0) {
      console.error(`\nSecurity check FAILED: ${gate.blocking.length} HIGH/MEDIUM finding(s). Fix the code; see the wiki link of each check.`);
      return 1;
    }
    console.log(`\nSecurity check passed (${gate.reviewed.length} reviewed, ${gate.other.length} low/informational).`);
    return 0;
  } catch (err) {
    console.error('Security check FAILED: the scan did not complete.', err);
    return 1;
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isEntryPoint) {
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const code = await main(projectRoot);
  process.exit(code);
}

