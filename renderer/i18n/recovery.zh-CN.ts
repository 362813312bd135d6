import type { RecoverySentenceKey, RecoveryTerm } from '../../shared/contract/recovery';

/** The Chinese wording of recovery notices, key for key with RECOVERY_SENTENCES_EN (shared/contract/recovery.ts). */
export const RECOVERY_TERMS_ZH: Readonly<Record<RecoveryTerm, string>> = {
  mode_desktop: '桌面应用',
  mode_browser: '浏览器模式',
  mode_cli: '命令行',
  mode_unknown: '未知方式',
  missing: '缺失',
  unknown_shape: '格式无法识别',
  damaged: '已损坏（{detail}）',
  wrong_size: '已损坏（{size} 字节，应为 {expected} 字节）',
  not_json: '不是有效的 JSON（{detail}）',
};

export const RECOVERY_SENTENCES_ZH: Readonly<Record<RecoverySentenceKey, string>> = {
  lock_unreadable: '工作区锁文件为空或无法读取（最后修改于 {modified}），可能是某个进程在打开工作区时中止留下的；Callsift 已接管该工作区。',
  lock_not_running: '之前打开此工作区的 Callsift 进程（{mode}，pid {pid}，{started} 在主机 {host} 上启动）已不在运行，且未正常关闭；Callsift 已接管该工作区。',
  lock_pid_reused:
    '之前打开此工作区的 Callsift 进程（{mode}，pid {pid}，{started} 在主机 {host} 上启动）已不在运行（其 pid 现属于另一个进程），且未正常关闭；Callsift 已接管该工作区。',
  lock_rebooted:
    '之前打开此工作区的 Callsift 进程（{mode}，pid {pid}，{started} 在主机 {host} 上启动）已不在运行（电脑此后重启过），且未正常关闭；Callsift 已接管该工作区。',

  journal_action_interrupted: '{file} 第 {from}–{to} 行是一个缺少结尾的操作（{changes} 项更改），整个操作均未应用。文件原样保留。',
  journal_action_mismatch: '{file} 第 {from}–{to} 行是一个记录与结尾不符的操作，整个操作均未应用。文件原样保留。',
  journal_line_damaged: '{file} 第 {line} 行已损坏并被跳过，其中的更改未应用。文件原样保留。',
  journal_line_damaged_utterance: '{file} 第 {line} 行已损坏并被跳过（是对话语 {utterance} 的更改），其中的更改未应用。文件原样保留。',
  journal_tail_action: '{file} 末尾是一个含 {changes} 项或更多更改、缺少结尾的操作（从第 {from} 行起）：保存途中崩溃或文件损坏会留下这种情况。它未被应用。',
  journal_tail_line: '{file} 末尾是一行不完整的记录（第 {line} 行）：保存途中崩溃或文件损坏会留下这种情况。它未被应用。',
  journal_tail_bytes: '{file} 末尾有 {bytes} 字节没有换行：保存途中崩溃或文件损坏会留下这种情况。它未被应用。',
  journal_tail_moved: '这 {bytes} 字节已移到 {movedTo}。',
  journal_tail_action_lost: '因崩溃而未写完的保存从未显示为已保存；但如果是文件损坏所致，该操作已丢失。',
  journal_tail_change_lost: '因崩溃而未写完的保存从未显示为已保存；但如果是文件损坏所致，其中的更改已丢失。',
  journal_tail_change_lost_utterance: '因崩溃而未写完的保存从未显示为已保存；但如果是文件损坏所致，其中的更改（话语 {utterance}）已丢失。',

  index_without_shard: '{index} {problem}，且其分片 {shard} 缺失；该索引已移到 {movedTo}。它列出的通话不再显示。',
  shard_unreadable: '{shard} {shardProblem}，且其索引 {index} {problem}，因此无法读取其中的通话。分片已移到 {movedTo}。',
  shard_index_moved: '其索引已移到 {movedTo}。',
  shard_calls_hidden: '其中的通话不再显示。这些通话的标注均保留。',
  index_rebuilt: '{index} {problem}；已根据 {shard}（{calls} 个通话）重建。没有任何丢失。',
  shard_damaged: '{shard} {problem}：其中 {calls} 个通话的完整记录无法打开。它们的话语和标注仍保留并显示；从备份恢复该文件即可查看完整通话。',
  import_interrupted: '一次导入在这部分保存之前中断：{shard}（{calls} 个通话）已移到 {movedTo}。',
  import_interrupted_unknown_size: '一次导入在这部分保存之前中断：{shard} 已移到 {movedTo}。',
  import_interrupted_not_moved: '一次导入在这部分保存之前中断：{shard} 无法移到恢复文件夹，仍留在原处，但不会被读取。',
  import_interrupted_end: '其中的内容从未显示为已保存；请重新导入该文件以加入这些通话。',

  catalogue_unusable: 'workspace.json 无法使用：文件{problem}。',
  catalogue_moved: '它已移到 {movedTo}。',
  catalogue_from_previous: '意图目录已从 workspace.prev.json 恢复，并重放了标注日志中其后的 {replayed} 项意图更改。',
  catalogue_from_previous_dated: '意图目录已从 workspace.prev.json（最后修改于 {savedAt}）恢复，并重放了标注日志中其后的 {replayed} 项意图更改。',
  catalogue_from_journal: '没有先前的副本，因此意图目录已根据标注日志重建：从记录的意图更改得到 {intents} 个意图。',
  catalogue_recreated: '有 {count} 个被标注使用的意图没有任何记录，已以其 ID 作为名称重新创建，没有描述和示例（{ids}）；请在“意图”中检查。',
  catalogue_meta_reset: '工作区名称、语言和标注员列表已重置。',
  catalogue_labels_kept: '标注保存在标注日志中，不受影响。',

  snapshot_missing: 'labels/snapshot.json 缺失；所有标注已根据日志重建。',
  snapshot_unusable: '标注快照无法使用：文件{problem}。它已移到 {movedTo}，所有标注已根据日志重建。',
  journal_empty: '日志为空，没有需要重建的标注。',
  journal_segments_missing: '部分日志分段缺失（现有 {found}），只记录在缺失分段中的标注无法重建。',
  journal_segments_whole: '从第一个起的所有日志分段都在，没有任何丢失。',
};
