import type { RecoveryNotice } from '../../shared/contract/dto';
import { RECOVERY_SENTENCES_EN, RECOVERY_TERMS_EN, wordRecovery } from '../../shared/contract/recovery';
import { RECOVERY_SENTENCES_ZH, RECOVERY_TERMS_ZH } from '../i18n/recovery.zh-CN';

/** A recovery notice worded in the UI's language; the English message when a sentence is unknown (older server). */
export function recoveryText(notice: RecoveryNotice, locale: string): string {
  const zh = locale.startsWith('zh');
  const sentences = zh ? RECOVERY_SENTENCES_ZH : RECOVERY_SENTENCES_EN;
  if (!notice.sentences?.length || notice.sentences.some((s) => !(s.key in sentences))) return notice.message;
  return wordRecovery(
    notice.sentences,
    (k) => sentences[k],
    (k) => (zh ? RECOVERY_TERMS_ZH : RECOVERY_TERMS_EN)[k],
    zh ? '' : ' ',
  );
}
