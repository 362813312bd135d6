import type { RecoveryNotice } from '../../shared/contract/dto';
import { fillTemplate, RECOVERY_SENTENCES_EN, RECOVERY_TERMS_EN, wordRecovery } from '../../shared/contract/recovery';
import enMessages from '../i18n/en';
import zhMessages from '../i18n/zh-CN';
import { RECOVERY_SENTENCES_ZH, RECOVERY_TERMS_ZH } from '../i18n/recovery.zh-CN';

/**
 * A recovery notice worded in the UI's language. A sentence this UI does not know (a newer server) is not shown in
 * English: the notice then says, in the UI's language, that it cannot be described, naming the sentence's key.
 */
export function recoveryText(notice: RecoveryNotice, locale: string): string {
  const zh = locale.startsWith('zh');
  const sentences = zh ? RECOVERY_SENTENCES_ZH : RECOVERY_SENTENCES_EN;
  const unknown = notice.sentences?.length ? notice.sentences.find((s) => !Object.hasOwn(sentences, s.key))?.key : 'recovery';
  if (unknown !== undefined) return fillTemplate((zh ? zhMessages : enMessages).error.unknown, { code: String(unknown).slice(0, 64) });
  return wordRecovery(
    notice.sentences,
    (k) => sentences[k],
    (k) => (zh ? RECOVERY_TERMS_ZH : RECOVERY_TERMS_EN)[k],
    zh ? '' : ' ',
  );
}
