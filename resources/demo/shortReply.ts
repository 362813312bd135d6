/** The most characters (Chinese) or words (other languages) a short reply has. */
export const SHORT_REPLY_MAX = 4;

const han = /\p{Script=Han}/u;
const notCounted = /[\s\p{P}\p{S}]/gu;

/**
 * True when a user turn is a short reply: at most 4 characters when it has Chinese in it (punctuation and spaces not
 * counted, so "嗯，是的" is 3), else at most 4 words. Short replies ("不是", "可以", "no thanks") are the ones whose
 * meaning the bot's question decides.
 */
export function isShortReply(text: string): boolean {
  if (han.test(text)) return text.replace(notCounted, '').length <= SHORT_REPLY_MAX;
  const words = text.split(/\s+/u).filter((w) => w.replace(notCounted, '') !== '');
  return words.length > 0 && words.length <= SHORT_REPLY_MAX;
}
