import { outboundIntentLibrary } from '../library/outboundIntents';

/** Language of a demo call. */
export type DemoLanguage = 'zh' | 'en';

/** Phrases per language. */
export interface Bilingual<T> {
  readonly zh: T;
  readonly en: T;
}

/** An intent of the demo catalogue with the phrases the simulated callers say for it. */
export interface DemoIntentSpec {
  readonly id: string;
  /** Chinese display name. */
  readonly name: string;
  readonly descriptionZh: string;
  readonly descriptionEn: string;
  readonly group: string;
  /** What callers say; `{d4}` is replaced by four digits. */
  readonly phrases: Bilingual<readonly string[]>;
  /** Intents a platform or an annotator confuses this one with, most likely first. */
  readonly confusable: readonly string[];
}

/** A theme of user requests no demo intent covers, for intent discovery to find. */
export interface DemoUncoveredTheme {
  readonly id: string;
  readonly name: Bilingual<string>;
  readonly phrases: Bilingual<readonly string[]>;
  /** Intents the platform wrongly predicts for it (with low confidence). */
  readonly platformGuesses: readonly string[];
}

const confusableGeneral: Readonly<Record<string, readonly string[]>> = {
  identity_confirmed: ['affirm', 'confirm_transaction_mine'],
  wrong_person: ['deny', 'deny_transaction_fraud', 'ask_who_is_calling'],
  busy_call_later: ['goodbye', 'not_interested'],
  request_human_agent: ['complaint', 'ask_details'],
  not_interested: ['decline_activity', 'deny', 'stop_calling'],
  already_paid: ['promise_to_repay', 'confirm_transaction_mine'],
  ask_who_is_calling: ['ask_how_got_number', 'suspect_scam'],
  ask_how_got_number: ['ask_who_is_calling', 'complaint'],
  affirm: ['identity_confirmed', 'agree_survey', 'join_activity'],
  deny: ['not_interested', 'wrong_person', 'decline_activity'],
  ask_repeat: ['ask_details', 'ask_who_is_calling'],
  complaint: ['stop_calling', 'request_human_agent'],
  stop_calling: ['not_interested', 'complaint'],
  ask_details: ['ask_activity_details', 'ask_coverage_claims'],
  goodbye: ['busy_call_later', 'affirm'],
  ask_fees: ['ask_amount_due', 'ask_activity_details'],
  is_robot: ['ask_who_is_calling', 'request_human_agent'],
  suspect_scam: ['ask_who_is_calling', 'deny_transaction_fraud'],
};

const domainIntents: readonly DemoIntentSpec[] = [
  {
    id: 'confirm_transaction_mine',
    name: '确认交易为本人操作',
    descriptionZh: '用户确认被核实的交易或操作是自己做的',
    descriptionEn: 'confirms the flagged transaction or change was their own',
    group: 'fraud',
    phrases: {
      zh: ['是我自己买的', '对，是我本人操作的', '这笔是我付的，没问题', '是我自己转的', '嗯是我刚买的东西', '那个是我在网上买的', '对对，我自己弄的', '是我付的款，OK的', '是我本人在换手机号'],
      en: ['yes I made that purchase', 'that was me', 'yeah I bought that', 'that transaction is mine', 'I paid for that myself', 'yes that was my order', "it was me, it's fine", "yeah that's my payment", 'yes I changed it myself'],
    },
    confusable: ['affirm', 'identity_confirmed'],
  },
  {
    id: 'deny_transaction_fraud',
    name: '否认交易/疑似盗刷',
    descriptionZh: '用户否认交易或操作是自己做的，怀疑被盗用',
    descriptionEn: 'denies the transaction or change and reports possible fraud',
    group: 'fraud',
    phrases: {
      zh: ['不是我买的', '我没有买过这个东西', '这笔不是我操作的', '我被盗刷了吧', '我根本没付这个钱', '不是我，赶紧帮我冻结', '我没在这家店消费过', '有人盗用我的账户', '我没换过手机号啊'],
      en: ["I didn't make that purchase", "that wasn't me", 'I never bought that', 'someone stole my card', "that's fraud, block it", "I don't recognize that charge", 'my account was hacked', 'I never authorized that', "I didn't change my phone number"],
    },
    confusable: ['deny', 'suspect_scam', 'unaware_of_purchase', 'wrong_person'],
  },
  {
    id: 'give_id_last_digits',
    name: '提供身份证后四位',
    descriptionZh: '用户报出身份证号后四位以核实身份',
    descriptionEn: 'gives the last four digits of their ID to verify identity',
    group: 'identity',
    phrases: {
      zh: ['后四位是{d4}', '{d4}', '身份证后四位{d4}', '是{d4}吧', '嗯，{d4}', '{d4}，对', '最后四位是{d4}', '我看一下，{d4}'],
      en: ['the last four are {d4}', '{d4}', 'it is {d4}', '{d4} I think', 'last four digits {d4}', 'uh {d4}', 'my id ends in {d4}', '{d4}, yes'],
    },
    confusable: ['identity_confirmed', 'affirm'],
  },
  {
    id: 'promise_to_repay',
    name: '承诺还款',
    descriptionZh: '用户承诺今天或某个日期前还款',
    descriptionEn: 'promises to repay today or by a given date',
    group: 'repayment',
    phrases: {
      zh: ['我今天就还', '晚上下班就还', '明天之前还上', '这两天就还', '我周五发工资就还', '马上还，马上还', '月底之前一定还', '好的我待会儿就去还', '15号之前还'],
      en: ["I'll pay today", "I'll pay it tonight", "I'll pay by Friday", "I'll make the payment tomorrow", "I'll pay when I get my salary", "I'll take care of it right now", "I'll pay before the end of the month", "give me a couple of days, I'll pay", "I'll pay before the 15th"],
    },
    confusable: ['already_paid', 'ask_extend_repayment', 'affirm'],
  },
  {
    id: 'ask_extend_repayment',
    name: '申请延期还款',
    descriptionZh: '用户希望推迟还款日期',
    descriptionEn: 'asks to extend or postpone the repayment',
    group: 'repayment',
    phrases: {
      zh: ['能不能晚几天还', '可以延期吗', '最近手头紧，能宽限几天吗', '下个月再还行不行', '能不能推迟还款', '我想申请延期', '晚一周还可以吗', '缓几天行吗'],
      en: ['can I get an extension', 'can I pay a few days late', 'money is tight, can you give me more time', 'can I pay next month instead', 'can I postpone the payment', 'I need more time to pay', 'is it possible to delay it a week', 'can you extend the due date'],
    },
    confusable: ['promise_to_repay', 'ask_amount_due'],
  },
  {
    id: 'cannot_repay_now',
    name: '暂时无法还款',
    descriptionZh: '用户表示现在还不上这笔钱',
    descriptionEn: 'says they cannot repay right now',
    group: 'repayment',
    phrases: {
      zh: ['我现在真的没钱还', '这个月还不上', '最近失业了，还不了', '手头没钱，今天还不了', '今天肯定还不上', '工资还没发，还不上', '实在拿不出这么多钱', '这几天都还不了'],
      en: ["I can't pay right now", "I don't have the money this month", "I lost my job, I can't pay", "there's no way I can pay today", "my salary hasn't come in yet", "I just don't have that much money", "I can't pay this week", "I'm broke at the moment"],
    },
    confusable: ['ask_extend_repayment', 'deny', 'promise_to_repay'],
  },
  {
    id: 'accept_extension',
    name: '接受延期方案',
    descriptionZh: '用户接受机器人提出的还款宽限期或延期方案',
    descriptionEn: 'accepts the grace period or extension the bot offers',
    group: 'repayment',
    phrases: {
      zh: ['那帮我申请一下宽限期吧', '好的，延三天可以', '那就延期吧', '帮我申请宽限期', '宽限三天可以的', '那麻烦帮我延一下', '需要，帮我办一下', '行，就按宽限期来'],
      en: ['yes please apply the grace period', "okay, I'll take the three days", "I'll take the extension", 'please set up the grace period', 'three extra days would help', 'yes, extend it please', 'yes I need that, thank you', "alright, let's do the grace period"],
    },
    confusable: ['affirm', 'ask_extend_repayment', 'promise_to_repay'],
  },
  {
    id: 'decline_extension',
    name: '不需要延期',
    descriptionZh: '用户拒绝机器人提出的宽限期或延期方案',
    descriptionEn: 'turns down the grace period or extension the bot offers',
    group: 'repayment',
    phrases: {
      zh: ['不用延期，我会按时还', '宽限期就不用了', '不需要申请', '不用麻烦了，我自己想办法', '延期就算了', '不用帮我申请'],
      en: ["no need for an extension, I'll pay on time", "I don't need the grace period", "don't apply for it", "no thanks, I'll sort it out myself", 'skip the extension', "I'd rather not extend it"],
    },
    confusable: ['deny', 'not_interested', 'promise_to_repay'],
  },
  {
    id: 'ask_amount_due',
    name: '询问应还金额',
    descriptionZh: '用户询问账单或欠款金额',
    descriptionEn: 'asks how much is due',
    group: 'repayment',
    phrases: {
      zh: ['我要还多少钱', '一共欠多少', '这期账单是多少', '最低还多少', '具体金额是多少', '还差多少没还', '本金加利息一共多少', '你说的多少钱来着'],
      en: ['how much do I owe', 'what is the amount due', 'how much is the bill', "what's the minimum payment", 'how much is left to pay', "what's the total with interest", 'how much was it again', 'what is my balance'],
    },
    confusable: ['ask_fees', 'ask_extend_repayment'],
  },
  {
    id: 'confirm_insurance_purchase',
    name: '确认自愿投保',
    descriptionZh: '回访中用户确认保险是本人自愿购买的',
    descriptionEn: 'confirms in the follow-up that they bought the policy themselves, willingly',
    group: 'insurance',
    phrases: {
      zh: ['是我自己投的保', '对，我自己自愿买的', '嗯，是我在app上买的', '是我本人投保的', '自己买的，知道的', '对，给我妈买的，我操作的', '是的，我了解过才买的', '嗯，自愿的'],
      en: ['yes I bought it myself', 'I signed up for it on purpose', 'yes I chose this plan', 'I bought it for my mom, I did it', 'yes I knew what I was buying', 'I purchased it voluntarily', 'yeah I got it through the app', 'yes it was my decision'],
    },
    confusable: ['affirm', 'identity_confirmed', 'confirm_transaction_mine'],
  },
  {
    id: 'unaware_of_purchase',
    name: '不知情投保',
    descriptionZh: '用户表示不知道或没有同意购买该保险',
    descriptionEn: 'says they did not know about or agree to the policy',
    group: 'insurance',
    phrases: {
      zh: ['我没买过保险啊', '什么保险，我不知道', '我不记得买过这个', '谁给我买的', '我没同意买这个', '莫名其妙就扣钱了', '我不知道有这个保险', '怎么会有保险，我没点过'],
      en: ['I never bought any insurance', "what insurance? I don't know about it", "I don't remember buying this", 'who signed me up for this', 'I never agreed to this', 'you just took money from me', 'I had no idea I had a policy', 'I never clicked on anything'],
    },
    confusable: ['deny_transaction_fraud', 'cancel_insurance', 'deny'],
  },
  {
    id: 'cancel_insurance',
    name: '退保',
    descriptionZh: '用户要求退保或取消保险',
    descriptionEn: 'wants to cancel the policy or get a refund',
    group: 'insurance',
    phrases: {
      zh: ['我要退保', '这个保险帮我取消掉', '我不想要了，怎么退', '能不能退钱', '把这个保险停了', '我要cancel这个保险', '不续了，给我退了', '退保要怎么弄'],
      en: ['I want to cancel the policy', 'cancel my insurance', 'how do I get a refund', "I don't want this insurance anymore", 'stop the policy please', 'I want out of this plan', 'can I cancel and get my money back', 'please terminate it'],
    },
    confusable: ['not_interested', 'unaware_of_purchase'],
  },
  {
    id: 'renew_insurance',
    name: '续保',
    descriptionZh: '用户同意或要求续保',
    descriptionEn: 'agrees to or asks to renew the policy',
    group: 'insurance',
    phrases: {
      zh: ['那帮我续上吧', '我要续保', '可以续，怎么续', '续费一年', '继续保吧', '好的我续一下', '续保要怎么操作', '那就接着保'],
      en: ['yes I want to renew', 'renew it please', 'how do I renew', 'sign me up for another year', 'keep the coverage going', "I'll renew the policy", "let's renew it", 'yes continue the insurance'],
    },
    confusable: ['affirm', 'ask_coverage_claims'],
  },
  {
    id: 'ask_coverage_claims',
    name: '询问保障与理赔',
    descriptionZh: '用户询问保障范围、保额或理赔流程',
    descriptionEn: 'asks about coverage, sums insured or how to claim',
    group: 'insurance',
    phrases: {
      zh: ['这个保险保什么', '生病住院能报吗', '怎么理赔', '报销比例是多少', '门诊能报销吗', '理赔要什么材料', '保额是多少', '出险了找谁'],
      en: ['what does it cover', 'does it cover hospital stays', 'how do I make a claim', "what's the coverage amount", 'can I claim outpatient visits', 'what documents do I need for a claim', 'how much will it pay out', 'who do I contact for a claim'],
    },
    confusable: ['ask_details', 'renew_insurance'],
  },
  {
    id: 'agree_survey',
    name: '同意回访',
    descriptionZh: '用户同意接受回访问卷',
    descriptionEn: 'agrees to take the follow-up survey now',
    group: 'insurance',
    phrases: {
      zh: ['可以，你问吧', '方便，你说', '行，问吧', '一分钟可以', '嗯你问', '好的，可以回访', '有时间，你说吧', '你问吧，我听着'],
      en: ['sure, go ahead', 'yes I have a minute', 'okay ask away', 'go ahead with the survey', 'fine, what are the questions', 'I can do it now', 'yes, quickly please', 'alright, shoot'],
    },
    confusable: ['affirm', 'identity_confirmed'],
  },
  {
    id: 'decline_survey',
    name: '拒绝回访',
    descriptionZh: '用户不愿意接受回访问卷',
    descriptionEn: 'turns down the follow-up survey',
    group: 'insurance',
    phrases: {
      zh: ['我不想做回访', '回访就不用了', '没空做这个', '别回访了，我都知道', '不接受回访', '这个不用问我了'],
      en: ["I don't want to do the survey", 'no survey please', "I don't have time for a survey", "skip the follow-up, I know all that", "I'm not doing the survey", "don't bother with the questions"],
    },
    confusable: ['not_interested', 'busy_call_later', 'deny'],
  },
  {
    id: 'ask_activity_details',
    name: '询问活动详情',
    descriptionZh: '商家询问活动内容、条件或报名方式',
    descriptionEn: 'merchant asks about the promotion, its conditions or how to enrol',
    group: 'merchant',
    phrases: {
      zh: ['什么活动啊', '活动具体怎么参加', '能减免多少', '活动到什么时候', '有什么条件吗', '参加了有什么好处', '怎么报名', '门槛是什么'],
      en: ['what is the promotion', 'how do I join the promotion', 'how much is the discount', 'when does the offer end', 'are there any conditions', 'what do I get if I join', 'how do I sign up', 'what are the requirements'],
    },
    confusable: ['ask_details', 'ask_fees', 'join_activity'],
  },
  {
    id: 'join_activity',
    name: '参加商家活动',
    descriptionZh: '商家同意报名参加活动',
    descriptionEn: 'merchant agrees to join the promotion',
    group: 'merchant',
    phrases: {
      zh: ['我参加', '好的，给我报个名', '那我报名吧', '可以，帮我开通', '行，我要参加', '把我加上', '帮我报一下', '报名，报名'],
      en: ['sign me up', "I'll join", 'yes I want to take part', 'count me in', 'okay enroll me', "I'd like to join the promotion", 'sure, add my store', "let's do it"],
    },
    confusable: ['affirm', 'ask_activity_details'],
  },
  {
    id: 'decline_activity',
    name: '不参加商家活动',
    descriptionZh: '商家拒绝参加活动',
    descriptionEn: 'merchant declines the promotion',
    group: 'merchant',
    phrases: {
      zh: ['不参加了', '这个活动我不搞', '算了，不报名', '我们店不需要', '活动就不参与了', '不弄这个', '先不参加', '我们小店不搞这些'],
      en: ["I'll skip the promotion", "we won't join", "no, we don't need it for our store", 'not joining this time', "I'll sit this one out", "my shop isn't interested", "we don't do promotions", 'no, not this one'],
    },
    confusable: ['not_interested', 'deny'],
  },
  {
    id: 'ask_fund_arrival',
    name: '询问资金到账',
    descriptionZh: '用户询问基金赎回或收益到账时间',
    descriptionEn: 'asks when redeemed funds or returns will arrive',
    group: 'fund',
    phrases: {
      zh: ['那我的钱什么时候到账', '赎回的钱哪天能到', '会不会影响收益', '节后第几天到', '是不是要晚几天', '那我现在还能赎回吗', '收益照算吗', '到账时间是几号'],
      en: ['when will my money arrive', 'when can I redeem', 'will I lose any returns', 'which day will it be paid', 'so it will be late', 'can I still redeem now', 'do I still earn returns', 'what date will the money come'],
    },
    confusable: ['ask_details', 'ask_amount_due'],
  },
];

function toGeneralSpecs(): DemoIntentSpec[] {
  const { zh, en } = outboundIntentLibrary;
  return zh.map((zhIntent, index) => {
    const enIntent = en[index];
    if (!enIntent || enIntent.key !== zhIntent.key) throw new Error(`library languages disagree at ${zhIntent.key}`);
    return {
      id: zhIntent.key,
      name: zhIntent.name,
      descriptionZh: zhIntent.description,
      descriptionEn: enIntent.description.charAt(0).toLowerCase() + enIntent.description.slice(1),
      group: zhIntent.group,
      phrases: { zh: zhIntent.examples, en: enIntent.examples },
      confusable: confusableGeneral[zhIntent.key] ?? ['affirm'],
    };
  });
}

/** Every intent of the demo catalogue: the built-in general library first, then the campaign intents. */
export const demoIntentSpecs: readonly DemoIntentSpec[] = [...toGeneralSpecs(), ...domainIntents];

/** The themes callers bring up that no demo intent covers. */
export const demoUncoveredThemes: readonly DemoUncoveredTheme[] = [
  {
    id: 'installments',
    name: { zh: '分期还款', en: 'Pay in installments' },
    phrases: {
      zh: ['能不能分期还啊', '这个可以分三期吗', '我想办个分期', '分期的话利息怎么算', '能分12期吗', '账单可以分期付吗', '我要申请分期', '分几期还行不行'],
      en: ['can I pay it in installments', 'can I split it into three payments', 'I want to set up an installment plan', 'can I spread the bill over twelve months', 'is there a monthly installment option', 'can I pay in parts', 'I want to pay this off in installments', 'can I break it into smaller payments'],
    },
    platformGuesses: ['ask_extend_repayment', 'ask_fees'],
  },
  {
    id: 'invoice',
    name: { zh: '开发票', en: 'Invoice request' },
    phrases: {
      zh: ['能开发票吗', '发票怎么开', '我要开个发票', '可以给我开专票吗', '电子发票在哪里下载', '发票抬头能改吗', '报销要发票的', '开票要提供什么'],
      en: ['can I get an invoice', 'how do I get a receipt for this', 'I need an invoice for my company', 'where can I download the invoice', 'can you send me a tax invoice', 'can you change the name on the invoice', 'I need a receipt for reimbursement', 'do you issue invoices'],
    },
    platformGuesses: ['ask_details', 'ask_fees'],
  },
  {
    id: 'login_problem',
    name: { zh: '登录问题', en: 'Cannot log in' },
    phrases: {
      zh: ['我app登录不了', '一直提示密码错误', '登不上去啊', '账号被锁了怎么办', '收不到验证码', '我忘记登录密码了', '打开app就闪退', '人脸识别一直过不了'],
      en: ["I can't log in to the app", 'it keeps saying wrong password', 'my account is locked', "I'm not getting the verification code", 'I forgot my login password', 'the app crashes when I open it', "face verification doesn't work", "I can't get into my account"],
    },
    platformGuesses: ['request_human_agent', 'complaint'],
  },
  {
    id: 'change_phone',
    name: { zh: '更换绑定手机号', en: 'Change bound phone number' },
    phrases: {
      zh: ['我手机号换了', '怎么换绑手机', '以前那个号码不用了', '绑定的手机号要改一下', '我想换个号码绑定', '旧手机号停机了', '换了新号怎么改', '把我手机号改成新的'],
      en: ['I changed my phone number', 'how do I update my phone number', "my old number doesn't work anymore", 'I need to change the number on my account', "I want to link a new number", 'my old sim was cancelled', 'can you update my contact number', 'I have a new phone number'],
    },
    platformGuesses: ['wrong_person', 'ask_details'],
  },
  {
    id: 'points_rewards',
    name: { zh: '积分与权益', en: 'Points and rewards' },
    phrases: {
      zh: ['我的积分怎么用', '积分能换什么', '积分是不是要过期了', '会员权益在哪看', '有没有积分兑换', '我积分怎么没了', '积分能抵钱吗', '会员等级怎么升'],
      en: ['how do I use my points', 'what can I redeem my points for', 'are my points expiring', 'where do I see my member rewards', 'can points be used as cash', 'where did my points go', 'how do I get to the next member level', 'do I get reward points for this'],
    },
    platformGuesses: ['ask_activity_details', 'ask_details'],
  },
];
