/** Hand-made utterance sets for the discovery tests: three unknown themes and four known intents, English and Chinese. */

export const EN_THEMES: readonly (readonly string[])[] = [
  [
    'what is the weather like today',
    'will it rain tomorrow',
    'weather forecast for this weekend',
    'is it going to rain today',
    'tell me the weather forecast',
    'how is the weather tomorrow',
    'will it be sunny or rain this weekend',
    'what is the forecast for tomorrow',
  ],
  [
    'book a table for two tonight',
    'reserve a table at the italian restaurant',
    'i want to book a restaurant for dinner',
    'make a dinner reservation for four',
    'can you reserve a table for tonight',
    'book a restaurant table for friday',
    'i need a dinner table reservation',
    'reserve a restaurant for saturday dinner',
  ],
  [
    'play some jazz music',
    'put on my favourite music',
    'play the next music track',
    'i want to listen to music',
    'play music by the beatles',
    'start playing some rock music',
    'play some music for me',
    'turn on some relaxing music',
  ],
];

export const EN_KNOWN: readonly (readonly [string, readonly string[]])[] = [
  ['check_balance', ['what is my account balance', 'how much money is in my account', 'show my balance', 'check my checking balance', 'tell me my savings balance', 'how much do i have in my account']],
  ['transfer', ['transfer money to my savings', 'send fifty dollars to john', 'move money between accounts', 'transfer funds to my mother', 'send money to my friend', 'wire money to another account']],
  ['lost_card', ['i lost my credit card', 'my card was stolen', 'report a lost card', 'block my stolen card', 'i cannot find my debit card', 'freeze my lost card']],
  ['reset_password', ['reset my password', 'i forgot my password', 'change my login password', 'how do i reset the password', 'my password does not work', 'help me recover my password']],
];

export const ZH_THEMES: readonly (readonly string[])[] = [
  ['今天天气怎么样', '明天会下雨吗', '周末天气预报', '今天会不会下雨', '告诉我天气预报', '明天天气好不好', '这周末是晴天还是下雨', '明天的天气预报是什么'],
  ['帮我订一张两个人的餐桌', '预订今晚的餐厅', '我想订餐厅吃晚饭', '订一个四人的晚餐位子', '帮我预订今晚的餐桌', '周五订一个餐厅的位子', '我要预订晚餐餐桌', '预订周六晚上的餐厅'],
  ['播放一些爵士音乐', '放一首我喜欢的歌', '播放下一首歌', '我想听音乐', '播放周杰伦的歌', '开始播放摇滚音乐', '给我放一首歌', '放点轻松的音乐'],
];

export const ZH_KNOWN: readonly (readonly [string, readonly string[]])[] = [
  ['查询余额', ['查一下我的账户余额', '我的账户里还有多少钱', '显示我的余额', '查询储蓄卡余额', '告诉我余额是多少', '账户余额查询']],
  ['转账', ['给我妈妈转账', '转五十块钱给小王', '在账户之间转钱', '转账到我的储蓄账户', '给朋友汇款', '帮我转一笔钱']],
  ['挂失', ['我的银行卡丢了', '信用卡被偷了', '挂失我的卡', '冻结丢失的银行卡', '我找不到我的借记卡', '银行卡丢失怎么挂失']],
  ['重置密码', ['重置我的密码', '我忘记密码了', '修改登录密码', '怎么重置密码', '我的密码不能用了', '帮我找回密码']],
];

/** Three lexically distinct known intents with ten paraphrases each (退款 / 挂失 / 投诉): too few to calibrate a cut alone. */
export const ZH_FEW_KNOWN: readonly (readonly [string, readonly string[]])[] = [
  ['退款', ['我要退款', '申请退款', '怎么退款', '退款什么时候到账', '帮我把钱退回来', '订单退款', '我想退货退款', '退款进度查询', '退款失败了怎么办', '能不能退钱']],
  ['挂失', ['我的银行卡丢了', '信用卡被偷了', '挂失我的卡', '冻结丢失的银行卡', '我找不到我的借记卡', '银行卡丢失怎么挂失', '卡丢了怎么办', '帮我挂失', '钱包丢了卡也没了', '紧急挂失']],
  ['投诉', ['我要投诉', '投诉你们的客服', '服务太差了我要投诉', '怎么投诉', '投诉快递员', '我对服务不满意', '给我转投诉部门', '投诉电话是多少', '我要举报', '对处理结果不满意']],
];

/** The themes' texts in order and their theme ids. */
export function flattenThemes(themes: readonly (readonly string[])[]): { texts: string[]; truth: Int32Array } {
  const texts = themes.flat();
  const truth = Int32Array.from(themes.flatMap((theme, t) => theme.map(() => t)));
  return { texts, truth };
}

/** The known intents as parallel text and label arrays. */
export function flattenKnown(known: readonly (readonly [string, readonly string[]])[]): { knownTexts: string[]; knownLabels: string[] } {
  return { knownTexts: known.flatMap(([, texts]) => [...texts]), knownLabels: known.flatMap(([label, texts]) => texts.map(() => label)) };
}
