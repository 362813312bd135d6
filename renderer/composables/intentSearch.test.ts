import { describe, expect, it } from 'vitest';
import type { Intent } from '../../shared/domain/types';
import { createIntentSearcher } from './intentSearch';

function intent(id: string, name: string, description: string, examples: string[], status: Intent['status'] = 'active'): Intent {
  return { id, name, description, examples, status, createdAt: 0, updatedAt: 0 };
}

const zh = [
  intent('balance', '查询余额', '客户想知道账户余额', ['我卡里还有多少钱', '帮我查一下余额']),
  intent('repay', '确认还款', '客户答应按时还款', ['我明天就还', '好的我会还的']),
  intent('wrong', '打错电话', '接电话的不是本人', ['你打错了', '我不认识这个人']),
  intent('later', '稍后再打', '现在不方便', ['我在开会', '晚点再说']),
  intent('old', '查询余额旧', '已废弃', ['余额'], 'deprecated'),
];
const en = [
  intent('cancel', 'cancel_subscription', 'The customer wants to stop the service', ['cancel my plan', 'stop billing me']),
  intent('callback', 'request_callback', 'Asks to be called back later', ['call me tomorrow', 'ring me later']),
  intent('confirm', 'confirm_payment', 'Agrees to pay', ['I will pay today', 'yes I will pay']),
  intent('human', 'talk_to_agent', 'Wants a human agent', ['let me talk to a person', 'real person please']),
];

describe('createIntentSearcher', () => {
  it('finds a Chinese intent by a name with one wrong character', () => {
    const s = createIntentSearcher(zh);
    expect(s.rank('查询于额', null)[0]?.intent.id).toBe('balance');
    expect(s.rank('打措电话', null)[0]?.intent.id).toBe('wrong');
  });

  it('finds an English intent by a misspelled name', () => {
    const s = createIntentSearcher(en);
    expect(s.rank('cancle subscripton', null)[0]?.intent.id).toBe('cancel');
    expect(s.rank('reqest calback', null)[0]?.intent.id).toBe('callback');
  });

  it('finds an intent by one of its examples', () => {
    expect(createIntentSearcher(en).rank('real person', null)[0]?.intent.id).toBe('human');
    expect(createIntentSearcher(zh).rank('开会', null)[0]?.intent.id).toBe('later');
  });

  it('starts the empty-query list with the prediction, then most used, and never offers deprecated intents', () => {
    const used = zh.map((i) => ({ ...i, labeled: i.id === 'wrong' ? 50 : i.id === 'later' ? 20 : 0 }));
    const s = createIntentSearcher(used);
    const ranked = s.rank('', 'repay');
    expect(ranked.map((c) => c.intent.id)).toEqual(['repay', 'wrong', 'later', 'balance']);
    expect(ranked[0]?.predicted).toBe(true);
    expect(s.rank('余额', null).some((c) => c.intent.id === 'old')).toBe(false);
  });

  it('caps the list at nine choices', () => {
    const many = Array.from({ length: 30 }, (_, i) => intent(`i${i}`, `intent ${i}`, '', []));
    expect(createIntentSearcher(many).rank('', null)).toHaveLength(9);
    expect(createIntentSearcher(many).rank('intent', null).length).toBeLessThanOrEqual(9);
  });
});

describe('createCatalogueSearch', () => {
  it('keeps deprecated intents and every match, and returns all for an empty query', async () => {
    const { createCatalogueSearch } = await import('./intentSearch');
    const search = createCatalogueSearch(zh);
    expect(search('')).toHaveLength(zh.length);
    const ids = search('查询余额').map((i) => i.id);
    expect(ids).toContain('balance');
    expect(ids).toContain('old');
  });
});

describe('pinyin and homophone search', () => {
  const names = ['还款', '退保', '投诉', '诈骗', '确认本人', '稍后再打', '转人工', '询问发票', '否定/拒绝', '查询余额'];
  const catalogue = names.map((n, i) => intent(`i${i}`, n, '', []));
  const cases: [string, string][] = [
    ['hk', '还款'],
    ['huankuan', '还款'],
    ['huank', '还款'],
    ['tuibao', '退保'],
    ['tb', '退保'],
    ['tousu', '投诉'],
    ['zhapian', '诈骗'],
    ['qrbr', '确认本人'],
    ['zhuanrengong', '转人工'],
    ['zrg', '转人工'],
    ['fapiao', '询问发票'],
    ['jujue', '否定/拒绝'],
    ['炸骗', '诈骗'],
    ['投述', '投诉'],
    ['退宝', '退保'],
    ['还宽', '还款'],
    ['传人工', '转人工'],
    ['查寻', '查询余额'],
  ];
  it.each(cases)('%s finds %s first', (query, expected) => {
    expect(createIntentSearcher(catalogue).rank(query, null)[0]?.intent.name).toBe(expected);
  });

  it('does not find what does not sound alike or spell a name', () => {
    const s = createIntentSearcher(catalogue);
    expect(s.rank('xyzq', null).map((c) => c.intent.name)).toEqual([]);
    expect(s.rank('炸弹', null).map((c) => c.intent.name)).not.toContain('诈骗');
  });

  it('finds by pinyin in the Intents view search too', async () => {
    const { createCatalogueSearch } = await import('./intentSearch');
    expect(createCatalogueSearch(catalogue)('tuibao')[0]?.name).toBe('退保');
  });
});
