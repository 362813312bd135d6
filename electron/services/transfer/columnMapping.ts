import { join } from 'node:path';
import type { ImportField, ImportMapping } from '../../../shared/contract/dto';
import { CorruptFileError, DurableJsonFile } from '../../../lib/durable/durableFile';
import { log } from '../log';

/** Header names (normalized: lower case, without spaces, underscores, hyphens and dots) of each field. */
const SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  text: ['text', 'utterance', 'usertext', 'customertext', 'query', 'sentence', '文本', '客户话术', '用户话术', '用户说', '客户说', '用户文本', '客户文本', '话术', '用户语句', '语句', '内容', '用户回复', '客户回复', '文字', '客戶話術', '用戶話術', '用戶說', '客戶說'],
  botText: ['bottext', 'bot', 'botprompt', 'agent', 'agenttext', 'prompt', '机器人话术', '机器人', '坐席', '坐席话术', '機器人話術', '机器人说', '坐席说', '系统话术', '播报'],
  callId: ['callid', 'sessionid', 'conversationid', 'dialogid', 'dialogueid', '通话id', '会话id', '呼叫id', '通话编号', '会话编号', '通話id', '會話id', '呼叫編號'],
  turnIndex: ['turnindex', 'turn', 'turnno', 'turnnumber', '轮次', '轮次号', '轮数', '对话轮次'],
  speaker: ['speaker', 'role', '角色', '说话人', '说话方', '发言人'],
  intent: ['intent', 'label', 'intentlabel', '意图', '标签', '意图标签', '标注', '标注意图', '意圖', '標籤'],
  predictedIntent: ['predictedintent', 'prediction', 'predicted', '预测意图', '识别意图', '模型意图', '平台意图'],
  predictedConfidence: ['predictedconfidence', 'confidence', 'score', '置信度', '预测置信度', '意图置信度'],
  asrConfidence: ['asrconfidence', 'asrscore', 'asr置信度', '识别置信度', '语音识别置信度'],
  startedAt: ['startedat', 'starttime', 'time', 'timestamp', 'date', 'datetime', '时间', '开始时间', '通话时间', '呼叫时间', '日期'],
  campaign: ['campaign', 'scenario', 'task', '活动', '场景', '任务', '外呼任务', '项目'],
  language: ['language', 'lang', 'locale', '语言'],
  split: ['split', 'subset', '数据集', '划分'],
  id: ['id', 'rowid', 'utteranceid', '编号', 'id号'],
  annotator: ['annotator', 'labeler', 'labeledby', '标注人', '标注员', '标注者'],
  labeledAt: ['labeledat', 'labelledat', 'labeltime', '标注时间'],
  node: ['node', 'flownode', 'nodeid', 'nodename', 'botnode', 'dialognode', 'flowstep', '节点', '流程节点', '节点id', '节点名称', '节点名', '对话节点', '话术节点', '流程步骤', '節點', '流程節點'],
};

const FIELD_OF = new Map<string, ImportField>();
for (const [field, names] of Object.entries(SYNONYMS) as [ImportField, readonly string[]][]) for (const name of names) FIELD_OF.set(name, field);

/** A header as compared: lower case, without spaces (also full-width), underscores, hyphens and dots. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.·]+/g, '');
}

/** The field a header names, by its synonyms (通话ID, 客户话术, 意图, call_id, Text …); null when unknown. */
export function fieldOfHeader(header: string): ImportField | null {
  return FIELD_OF.get(normalizeHeader(header)) ?? null;
}

/** Maps each header to its field by name; a field named twice goes to the first column. */
export function autoMapping(headers: readonly string[]): Record<string, ImportField | null> {
  const out: Record<string, ImportField | null> = {};
  const taken = new Set<ImportField>();
  for (const h of headers) {
    if (h in out) continue;
    const field = fieldOfHeader(h);
    out[h] = field !== null && !taken.has(field) ? field : null;
    if (field !== null) taken.add(field);
  }
  return out;
}

/** Column index of each mapped field; a field mapped twice goes to the first column. */
export function columnsOf(headers: readonly string[], mapping: ImportMapping): Map<ImportField, number> {
  const columns = new Map<ImportField, number>();
  headers.forEach((h, i) => {
    const field = mapping[h];
    if (field != null && !columns.has(field)) columns.set(field, i);
  });
  return columns;
}

/** The key a mapping is remembered under: the set of headers, normalized and sorted. */
export function headersKey(headers: readonly string[]): string {
  return [...new Set(headers.map(normalizeHeader).filter((h) => h !== ''))].sort().join('\u0001');
}

interface MappingsDoc {
  readonly v: 1;
  readonly entries: Record<string, { readonly mapping: ImportMapping; readonly usedAt: number }>;
}

const MAX_REMEMBERED = 200;

/**
 * Column mappings used for imports, per set of headers, in `${dataDir}/import-mappings.json` (written atomically);
 * the next file with the same headers is offered the same mapping. A damaged file is treated as empty.
 */
export class RememberedMappings {
  private doc: MappingsDoc | null = null;
  private readonly file: DurableJsonFile<MappingsDoc>;

  constructor(dataDir: string) {
    this.file = new DurableJsonFile<MappingsDoc>(join(dataDir, 'import-mappings.json'), 2);
  }

  private async load(): Promise<MappingsDoc> {
    if (this.doc === null) {
      let doc: MappingsDoc | null = null;
      try {
        doc = await this.file.read();
      } catch (err) {
        if (!(err instanceof CorruptFileError)) throw err;
      }
      this.doc = doc !== null && doc.v === 1 && typeof doc.entries === 'object' && doc.entries !== null ? doc : { v: 1, entries: {} };
    }
    return this.doc;
  }

  /** The mapping last used for these headers, or null. */
  async find(headers: readonly string[]): Promise<ImportMapping | null> {
    const doc = await this.load();
    const entry = doc.entries[headersKey(headers)];
    if (entry === undefined) return null;
    // Only headers of this file count; the remembered mapping was saved for the same set.
    const out: Record<string, ImportField | null> = {};
    const byNormal = new Map(Object.entries(entry.mapping).map(([h, f]) => [normalizeHeader(h), f]));
    for (const h of headers) out[h] = byNormal.get(normalizeHeader(h)) ?? null;
    return out;
  }

  /** Remembers `mapping` for these headers (best effort: a failed write only loses the memory). */
  async remember(headers: readonly string[], mapping: ImportMapping): Promise<void> {
    const doc = await this.load();
    const all = Object.entries({ ...doc.entries, [headersKey(headers)]: { mapping, usedAt: Date.now() } });
    all.sort((a, b) => b[1].usedAt - a[1].usedAt);
    this.doc = { v: 1, entries: Object.fromEntries(all.slice(0, MAX_REMEMBERED)) };
    await this.file.write(this.doc).catch((err: unknown) => log.warn('import.saveMapping', err, { file: this.file.path }));
  }
}
