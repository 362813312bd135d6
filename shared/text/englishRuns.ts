/**
 * Finds English sentences in text a Chinese UI shows: runs of three or more consecutive Latin-alphabet words. Product
 * names, formats and keys (`allowedWords`), addresses, paths and anything in `dataStrings` (intent names, utterance
 * text: the user's data, which may well be English) are taken out first, so only our own words are judged.
 */

/** Words that may stand in Chinese text: product and format names, units, keys. */
export const allowedWords: readonly string[] = [
  'Callsift', 'CSV', 'TSV', 'JSONL', 'JSON', 'Lines', 'Excel', 'xlsx', 'URL', 'API', 'HTTP', 'ID', 'ECE', 'F1', 'Rasa', 'nlu.yml', 'pid', 'base64',
  'Enter', 'Esc', 'Tab', 'Shift', 'Ctrl', 'Alt', 'Space', 'Backspace', 'PageUp', 'PageDown', 'Home', 'End', 'MB', 'KB', 'GB', 'ms', 'UTF', 'GBK', 'GB18030', 'utf', 'ASCII',
];

/** Commands shown to be typed as they are. */
const allowedPhrases: readonly RegExp[] = [/npm run serve(?: -- --allow)?/g, /application\/json/g];

const WORD = "[A-Za-z][A-Za-z'’]*";
const RUN = new RegExp(`${WORD}(?:[ \\t]*[,;:]?[ \\t]+${WORD}){2,}`, 'g');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The English runs in `text` after data strings, allowed words, addresses and paths are removed; empty when none. */
export function findEnglishRuns(text: string, dataStrings: readonly string[] = []): string[] {
  let rest = text;
  // Longest first, so a data string containing another is removed whole.
  for (const data of [...dataStrings].filter((d) => /[A-Za-z]/.test(d)).sort((a, b) => b.length - a.length)) {
    rest = rest.split(data).join(' ⋄ ');
  }
  rest = rest.replace(/\b(?:https?|file):\/\/\S+/g, ' ⋄ ');
  rest = rest.replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@~-]+){2,}[\\/]?/g, ' ⋄ ');
  for (const phrase of allowedPhrases) rest = rest.replace(phrase, ' ⋄ ');
  const allowed = new RegExp(`(?<![A-Za-z])(?:${allowedWords.map(escapeRegExp).join('|')})(?![A-Za-z])`, 'g');
  rest = rest.replace(allowed, ' ⋄ ');
  return [...rest.matchAll(RUN)].map((m) => m[0]);
}
