import type { Rng } from '../../shared/ml/random';
import type { DemoLanguage } from './demoIntents';

/** How likely each kind of noise is on one user utterance. */
export interface NoiseRates {
  readonly fillerPrefix: number;
  readonly fillerSuffix: number;
  readonly codeSwitch: number;
  readonly mishearing: number;
  readonly dropped: number;
}

/** Default noise rates: most utterances stay clean, about one in five is misrecognised somewhere. */
export const defaultNoiseRates: NoiseRates = { fillerPrefix: 0.28, fillerSuffix: 0.08, codeSwitch: 0.07, mishearing: 0.13, dropped: 0.05 };

const fillerPrefixes = {
  zh: ['嗯，', '啊，', '那个，', '就是，', '呃，', '喂，', '哦，', '嗯嗯，', '这个，'],
  en: ['um ', 'uh ', 'well ', 'yeah ', 'like ', 'so ', 'oh ', 'hmm '],
} as const;

const fillerSuffixes = {
  zh: ['啊', '吧', '哈', '嘛', '呢'],
  en: [' I guess', ' you know', ' okay', ' yeah'],
} as const;

/** Chinese phrases callers switch into English for. */
const codeSwitches: readonly (readonly [string, string])[] = [
  ['好的', 'OK'],
  ['查一下', 'check一下'],
  ['取消', 'cancel'],
  ['确认', 'confirm'],
  ['没问题', 'no problem'],
  ['短信', '短信message'],
  ['账单', 'bill'],
  ['报名', 'sign up'],
  ['拜拜', 'bye bye'],
  ['机器人', 'AI'],
];

/** Chinese homophone and near-homophone misrecognitions. */
const zhMishearings: readonly (readonly [string, string])[] = [
  ['还款', '换款'],
  ['还了', '换了'],
  ['是', '市'],
  ['本人', '本任'],
  ['保险', '保鲜'],
  ['退保', '退宝'],
  ['交易', '角易'],
  ['知道', '指导'],
  ['人工', '人公'],
  ['需要', '虚要'],
  ['分期', '分七'],
  ['发票', '发飘'],
  ['登录', '灯路'],
  ['利息', '利西'],
  ['手续费', '手续非'],
  ['诈骗', '炸骗'],
  ['投诉', '头诉'],
  ['开会', '开灰'],
  ['积分', '鸡分'],
  ['理赔', '理培'],
  ['续保', '须保'],
  ['活动', '火洞'],
  ['电话', '点话'],
  ['不用', '不要'],
];

/** English misrecognitions. */
const enMishearings: readonly (readonly [string, string])[] = [
  ['right', 'write'],
  ['paid', 'played'],
  ['cancel', 'council'],
  ['insurance', 'in shorts'],
  ['later', 'lady'],
  ['number', 'lumber'],
  ['transaction', 'transition'],
  ['installment', 'install mint'],
  ['loan', 'lone'],
  ['bill', 'bell'],
  ['meeting', 'meaning'],
  ['scam', 'scan'],
  ['invoice', 'in voice'],
  ['points', 'pints'],
  ['fee', 'free'],
  ['renew', 'review'],
  ['claim', 'clam'],
  ['robot', 'row bot'],
  ['policy', 'polly see'],
  ['human', 'humid'],
  ['purchase', 'perches'],
  ['promotion', 'emotion'],
];

const zhPunctuation = '，。？！、,.?!';
const zhFinalParticles = '吗吧呢啊哈嘛了呀';

/** A user utterance after recognition: the text and how much of it was garbled. */
export interface NoisyText {
  readonly text: string;
  /** Number of recognition errors applied (mishearings, dropped characters or words). */
  readonly errors: number;
}

function replaceFirstFound(text: string, pairs: readonly (readonly [string, string])[], rng: Rng): string | null {
  const start = rng.int(pairs.length);
  for (let k = 0; k < pairs.length; k++) {
    const pair = pairs[(start + k) % pairs.length] as readonly [string, string];
    const at = text.indexOf(pair[0]);
    if (at >= 0) return text.slice(0, at) + pair[1] + text.slice(at + pair[0].length);
  }
  return null;
}

function dropOneChinese(text: string, rng: Rng): string | null {
  if (text.length < 4) return null;
  const at = 1 + rng.int(text.length - 2);
  if (zhPunctuation.includes(text.charAt(at))) return null;
  return text.slice(0, at) + text.slice(at + 1);
}

function dropOneWord(text: string, rng: Rng): string | null {
  const first = text.indexOf(' ');
  if (first < 0 || text.indexOf(' ', first + 1) < 0) return null;
  const words = text.split(' ');
  words.splice(1 + rng.int(words.length - 1), 1);
  return words.join(' ');
}

function takesSuffix(text: string, language: DemoLanguage): boolean {
  const last = text.charAt(text.length - 1);
  return !zhPunctuation.includes(last) && (language === 'en' || !zhFinalParticles.includes(last));
}

/**
 * Turns what a caller said into what speech recognition heard: fillers, Chinese–English
 * code-switching, homophone mishearings and dropped characters or words, each with its rate.
 */
export function addSpeechNoise(text: string, language: DemoLanguage, rng: Rng, rates: NoiseRates = defaultNoiseRates): NoisyText {
  let out = text;
  let errors = 0;
  if (language === 'zh' && rng.chance(rates.codeSwitch)) out = replaceFirstFound(out, codeSwitches, rng) ?? out;
  if (rng.chance(rates.mishearing)) {
    const heard = replaceFirstFound(out, language === 'zh' ? zhMishearings : enMishearings, rng);
    if (heard !== null) {
      out = heard;
      errors++;
    }
  }
  if (rng.chance(rates.dropped)) {
    const shorter = language === 'zh' ? dropOneChinese(out, rng) : dropOneWord(out, rng);
    if (shorter !== null) {
      out = shorter;
      errors++;
    }
  }
  if (rng.chance(rates.fillerPrefix)) out = rng.pick(fillerPrefixes[language]) + out;
  if (rng.chance(rates.fillerSuffix) && takesSuffix(out, language)) out += rng.pick(fillerSuffixes[language]);
  return { text: out, errors };
}
