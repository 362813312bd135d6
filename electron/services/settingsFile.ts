import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Settings, UiLanguage } from '../../shared/contract/dto';
import { CorruptFileError, DurableJsonFile, writeError } from '../../lib/durable/durableFile';

interface SettingsDoc {
  annotator?: string;
  uiLanguage?: UiLanguage;
  workspaceFolder?: string;
}

/** The app's settings in `${dataDir}/settings.json`; a damaged file falls back to defaults. */
export class SettingsFile {
  private constructor(
    private readonly file: DurableJsonFile<SettingsDoc>,
    private doc: SettingsDoc,
  ) {}

  static async open(dataDir: string): Promise<SettingsFile> {
    await mkdir(dataDir, { recursive: true });
    const file = new DurableJsonFile<SettingsDoc>(join(dataDir, 'settings.json'), 2);
    let doc: SettingsDoc | null = null;
    try {
      doc = await file.read();
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
    }
    return new SettingsFile(file, doc ?? {});
  }

  get value(): Settings {
    return {
      annotator: this.doc.annotator ?? defaultAnnotator(),
      annotatorChosen: this.doc.annotator !== undefined,
      uiLanguage: this.doc.uiLanguage ?? 'zh-CN',
      workspaceFolder: this.doc.workspaceFolder ?? '',
    };
  }

  get savedWorkspaceFolder(): string | undefined {
    return this.doc.workspaceFolder;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = { ...this.doc, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    await this.file.write(next).catch((err: unknown) => {
      throw writeError(err, 'what_settings', this.file.path);
    });
    this.doc = next;
    return this.value;
  }
}

let osUser: string | undefined;

/** The OS user name (read once: every label asks for the annotator), else "annotator". */
function defaultAnnotator(): string {
  if (osUser === undefined) {
    try {
      osUser = userInfo().username || 'annotator';
    } catch {
      osUser = 'annotator';
    }
  }
  return osUser;
}
