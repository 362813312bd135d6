import type { Bilingual } from './demoIntents';

/** A weighted reply: the intent a caller answers with, and its relative weight. */
export type WeightedReply = readonly [intentId: string, weight: number];

/** Short replies (at most 4 characters or words) by intent, in each language. */
export type ShortReplies = Readonly<Record<string, Bilingual<readonly string[]>>>;

/** One step of a scripted bot flow: what the bot asks and how callers tend to answer. */
export interface DemoStage {
  /** The flow node (step id) the platform names this step by; written on the bot turns that ask it. */
  readonly node: string;
  /** Bot prompts; `{name}`, `{amount}`, `{date}`, `{merchant}`, `{product}`, `{shop}`, `{time}` are filled per call. */
  readonly prompts: Bilingual<readonly string[]>;
  readonly replies: readonly WeightedReply[];
  /**
   * The short answers ("是的", "不用了", "no thanks") callers give to this question, by intent. What they mean depends
   * on the question: "不是" is a wrong person after the identity check and a disowned payment after the transaction
   * check. A reply whose intent is listed here is said in one of these forms at `demoRates.shortForm`.
   */
  readonly shortReplies?: ShortReplies;
  /** What the bot says before moving on, when the caller answered with this intent. */
  readonly reactions?: Readonly<Record<string, Bilingual<string>>>;
  /** The node the flow goes to after a reply with this intent, instead of the next stage. */
  readonly next?: Readonly<Record<string, string>>;
  /** Reached only through a `next` entry of an earlier stage; the flow otherwise steps over it. */
  readonly branch?: boolean;
}

/** An outbound campaign: a scripted bot flow with its prompts. */
export interface DemoCampaign {
  readonly id: string;
  /** Campaign name as the platform reports it (Call.campaign). */
  readonly name: string;
  readonly nameEn: string;
  /** Relative share of calls. */
  readonly weight: number;
  readonly stages: readonly DemoStage[];
  readonly closing: Bilingual<readonly string[]>;
  /** Relative weight of each uncovered theme in this campaign. */
  readonly uncoveredWeights: Readonly<Record<string, number>>;
}

/** Yes and no to "did you do this yourself?", said briefly. */
const ownActionShort = (yes: string, no: string): ShortReplies => ({
  [yes]: { zh: ['是的', '是我', '对', '嗯', '对的', '是'], en: ['yes', 'yeah', 'that was me', 'yes it was'] },
  [no]: { zh: ['不是', '不是我', '没有', '不是的'], en: ['no', 'not me', 'nope', "no it wasn't"] },
});

const identityStage = (zh: readonly string[], en: readonly string[]): DemoStage => ({
  node: 'identity_check',
  prompts: { zh, en },
  replies: [
    ['identity_confirmed', 58],
    ['wrong_person', 7],
    ['busy_call_later', 8],
    ['ask_who_is_calling', 8],
    ['ask_repeat', 6],
    ['ask_how_got_number', 3],
    ['suspect_scam', 3],
    ['is_robot', 2],
    ['goodbye', 1],
    ['stop_calling', 1],
  ],
  shortReplies: {
    identity_confirmed: { zh: ['是的', '是我', '对', '嗯', '对的', '是'], en: ['yes', 'yeah', 'speaking', "that's me", 'yes it is'] },
    wrong_person: { zh: ['不是', '不是的', '打错了', '不是我'], en: ['no', 'not me', 'wrong number', 'nope'] },
  },
});

const anythingElseStage: DemoStage = {
  node: 'anything_else',
  prompts: {
    zh: ['请问您还有其他问题吗？', '请问还有什么可以帮您的吗？'],
    en: ['Is there anything else I can help you with?', 'Do you have any other questions?'],
  },
  replies: [
    ['deny', 34],
    ['goodbye', 30],
    ['affirm', 8],
    ['request_human_agent', 7],
    ['ask_details', 6],
    ['complaint', 4],
    ['stop_calling', 3],
    ['ask_fees', 3],
    ['ask_repeat', 3],
  ],
  shortReplies: {
    deny: { zh: ['没有了', '没有', '不用了', '没了'], en: ['no', 'nope', "that's all", 'no thanks'] },
    goodbye: { zh: ['拜拜', '再见', '好，拜拜'], en: ['bye', 'goodbye', 'bye bye'] },
  },
  reactions: {
    ask_details: { zh: '具体信息已通过短信发送给您，您也可以在app消息中心查看。', en: "We've sent the details by text message; you can also find them in the app's inbox." },
    ask_fees: { zh: '本次服务不收取任何费用。', en: 'This service is free of charge.' },
  },
};

const defaultClosing: Bilingual<readonly string[]> = {
  zh: ['感谢您的接听，祝您生活愉快，再见。', '好的，那就不打扰您了，再见。'],
  en: ['Thank you for your time. Have a nice day, goodbye.', 'Alright, thanks for taking the call. Goodbye.'],
};

/** The demo campaigns, inspired by a payments and insurance app's outbound voice bots. */
export const demoCampaigns: readonly DemoCampaign[] = [
  {
    id: 'fraud_verification',
    name: '反欺诈核实',
    nameEn: 'Suspected-fraud verification',
    weight: 20,
    stages: [
      identityStage(
        ['您好，我是云付反欺诈中心客服星星，请问是{name}本人吗？', '您好，这里是云付安全中心，请问您是{name}吗？'],
        ['Hello, this is Star from the CloudPay fraud prevention team. Am I speaking with {name}?', 'Hi, this is CloudPay security. Is this {name}?'],
      ),
      {
        node: 'confirm_transaction',
        prompts: {
          zh: ['系统检测到您今天{time}在{merchant}有一笔{amount}元的交易存在被骗风险，请问这笔交易是您本人操作的吗？', '您的账户刚刚有一笔{amount}元的付款，收款方是{merchant}，请问是您本人在操作吗？'],
          en: ['We noticed a payment of {amount} yuan to {merchant} at {time} today that may be a scam. Did you make this payment yourself?', 'Your account just made a payment of {amount} yuan to {merchant}. Was that you?'],
        },
        replies: [
          ['confirm_transaction_mine', 46],
          ['deny_transaction_fraud', 34],
          ['ask_details', 7],
          ['ask_repeat', 5],
          ['suspect_scam', 3],
          ['request_human_agent', 3],
          ['ask_amount_due', 1],
        ],
        shortReplies: ownActionShort('confirm_transaction_mine', 'deny_transaction_fraud'),
        reactions: {
          confirm_transaction_mine: { zh: '好的，已为您确认这笔交易。提醒您，凡是要求您转账到“安全账户”的都是诈骗。', en: "Thank you, the payment is confirmed. Remember: anyone asking you to move money to a 'safe account' is a scammer." },
          deny_transaction_fraud: { zh: '好的，已为您拦截这笔交易并临时冻结账户，建议您尽快修改支付密码。', en: "Understood. We've blocked the payment and temporarily frozen your account. Please change your payment password soon." },
        },
      },
      anythingElseStage,
    ],
    closing: defaultClosing,
    uncoveredWeights: { login_problem: 4, change_phone: 3, installments: 1, invoice: 1, points_rewards: 1 },
  },
  {
    id: 'insurance_follow_up',
    name: '保险回访',
    nameEn: 'Insurance follow-up visit',
    weight: 17,
    stages: [
      identityStage(
        ['您好，我是云付保险客服小宝，请问是{name}吗？', '您好，这里是云付保险回访中心，请问您是{name}本人吗？'],
        ['Hello, this is Bao from CloudPay Insurance. Am I speaking with {name}?', 'Hi, this is the CloudPay Insurance follow-up team. Is this {name}?'],
      ),
      {
        node: 'survey_consent',
        prompts: {
          zh: ['您在{date}通过云付购买了{product}，按监管要求需要对您做个简单回访，大概一分钟，现在方便吗？'],
          en: ['You bought the {product} through CloudPay on {date}. Regulations require a short follow-up, about one minute. Is now a good time?'],
        },
        replies: [
          ['agree_survey', 56],
          ['decline_survey', 15],
          ['busy_call_later', 11],
          ['ask_details', 6],
          ['unaware_of_purchase', 5],
          ['ask_repeat', 4],
          ['is_robot', 2],
        ],
        shortReplies: {
          agree_survey: { zh: ['可以', '好的', '方便', '行', '你说', '嗯'], en: ['sure', 'okay', 'go ahead', 'yes'] },
          decline_survey: { zh: ['不用了', '没空', '不方便', '不要'], en: ['no thanks', 'no time', 'no'] },
        },
      },
      {
        node: 'confirm_voluntary_purchase',
        prompts: {
          zh: ['请问这份保险是您本人自愿购买的吗？', '请问您是否了解并自愿购买了这份保险？'],
          en: ['Did you buy this policy yourself, of your own free will?', 'Did you understand and willingly buy this policy?'],
        },
        replies: [
          ['confirm_insurance_purchase', 58],
          ['unaware_of_purchase', 14],
          ['cancel_insurance', 8],
          ['ask_coverage_claims', 8],
          ['ask_fees', 5],
          ['ask_repeat', 4],
        ],
        shortReplies: {
          confirm_insurance_purchase: { zh: ['是的', '对', '是', '自愿的', '是我买的'], en: ['yes', 'yes I did', 'yeah'] },
          unaware_of_purchase: { zh: ['不是', '没有', '不知道', '没买过'], en: ['no', "I didn't", 'no idea'] },
        },
        reactions: {
          unaware_of_purchase: { zh: '好的，已为您记录，稍后会有专员核实投保情况。', en: "Noted. A specialist will check how the policy was bought." },
          cancel_insurance: { zh: '您可以在犹豫期内于云付“我的保险”中申请退保，保费全额退还。', en: "You can cancel under 'My insurance' in the CloudPay app during the cooling-off period for a full refund." },
        },
      },
    ],
    closing: {
      zh: ['您的保单有15天犹豫期，犹豫期内退保可全额退款。本次回访到此结束，感谢您的配合，再见。'],
      en: ['Your policy has a 15-day cooling-off period with a full refund. That concludes the follow-up. Thank you, goodbye.'],
    },
    uncoveredWeights: { invoice: 4, change_phone: 2, login_problem: 2, points_rewards: 1, installments: 1 },
  },
  {
    id: 'insurance_renewal',
    name: '保险续保提醒',
    nameEn: 'Insurance renewal reminder',
    weight: 9,
    stages: [
      identityStage(
        ['您好，我是云付客服小宝，请问是{name}吗？'],
        ['Hello, this is Bao from CloudPay. Is this {name}?'],
      ),
      {
        node: 'offer_renewal',
        prompts: {
          zh: ['您在云付购买的{product}已经过期一年了，现在续保可以恢复保障，请问需要帮您续保吗？', '您的{product}将于{date}到期，请问需要续保吗？'],
          en: ['Your {product} from CloudPay lapsed a year ago. Renewing now restores your coverage. Would you like to renew?', 'Your {product} expires on {date}. Would you like to renew it?'],
        },
        replies: [
          ['renew_insurance', 38],
          ['not_interested', 25],
          ['ask_coverage_claims', 12],
          ['ask_fees', 12],
          ['cancel_insurance', 4],
          ['busy_call_later', 5],
          ['ask_repeat', 4],
        ],
        shortReplies: {
          renew_insurance: { zh: ['好的', '可以', '续吧', '要'], en: ['yes', 'sure', 'okay'] },
          not_interested: { zh: ['不用了', '不要', '不续了'], en: ['no thanks', 'no'] },
        },
        reactions: {
          renew_insurance: { zh: '好的，续保链接稍后会通过短信发给您，点击即可完成续保。', en: "Great, we'll text you a renewal link; tap it to finish." },
          ask_fees: { zh: '续保保费与去年一致，首月仅需1元。', en: 'The premium is the same as last year, and the first month is just 1 yuan.' },
        },
      },
      anythingElseStage,
    ],
    closing: defaultClosing,
    uncoveredWeights: { invoice: 3, points_rewards: 2, installments: 2, login_problem: 2, change_phone: 1 },
  },
  {
    id: 'merchant_campaign',
    name: '商家活动通知',
    nameEn: 'Merchant campaign notice',
    weight: 15,
    stages: [
      identityStage(
        ['您好，我是云付商家服务专员，请问是{shop}的老板吗？', '您好，请问是{shop}的负责人吗？'],
        ['Hello, this is CloudPay merchant services. Am I speaking with the owner of {shop}?', 'Hi, is this the manager of {shop}?'],
      ),
      {
        node: 'offer_promotion',
        prompts: {
          zh: ['云付近期推出收款码商家激励活动，参与后每笔收款可享手续费减免，请问您要报名参加吗？', '我们有一个新零售商家活动，报名后可以领取{amount}元流量补贴，请问您想参加吗？'],
          en: ['CloudPay has a new QR-code merchant incentive: join and get reduced fees on every payment you collect. Would you like to sign up?', 'We have a new-retail merchant promotion with a {amount} yuan traffic subsidy. Would you like to join?'],
        },
        replies: [
          ['join_activity', 32],
          ['ask_activity_details', 20],
          ['decline_activity', 18],
          ['not_interested', 6],
          ['ask_fees', 8],
          ['busy_call_later', 6],
          ['ask_repeat', 4],
          ['stop_calling', 2],
        ],
        shortReplies: {
          join_activity: { zh: ['可以', '好的', '参加', '行'], en: ['sure', 'okay', 'yes'] },
          decline_activity: { zh: ['不用了', '不参加', '不要'], en: ['no thanks', 'no'] },
        },
        reactions: {
          ask_activity_details: { zh: '活动期间每笔收款手续费减免0.1%，月底前报名有效，没有额外门槛。', en: 'During the promotion every payment gets a 0.1% fee reduction. Enrol before the end of the month; there are no other conditions.' },
          ask_fees: { zh: '报名参加是免费的，不收取任何费用。', en: 'Joining is free; there are no charges.' },
        },
      },
      {
        node: 'enrol_instructions',
        prompts: {
          zh: ['您只需要在云付app里搜索“商家服务”点击报名就可以，稍后会给您发送短信，请注意查收。'],
          en: ["Just search for 'Merchant services' in the CloudPay app and tap Enrol. We'll also send you a text message."],
        },
        replies: [
          ['affirm', 36],
          ['goodbye', 24],
          ['ask_details', 8],
          ['ask_repeat', 8],
          ['join_activity', 8],
          ['request_human_agent', 5],
          ['decline_activity', 4],
        ],
        shortReplies: {
          affirm: { zh: ['好的', '嗯', '知道了', '行'], en: ['okay', 'got it', 'sure'] },
        },
      },
    ],
    closing: defaultClosing,
    uncoveredWeights: { invoice: 4, points_rewards: 4, login_problem: 2, change_phone: 1, installments: 1 },
  },
  {
    id: 'repayment_reminder',
    name: '月付还款提醒',
    nameEn: 'Pay-later repayment reminder',
    weight: 22,
    stages: [
      identityStage(
        ['您好，我是云付客服，请问是{name}吗？', '您好，这里是云付月付服务中心，请问是{name}本人吗？'],
        ['Hello, this is CloudPay customer service. Is this {name}?', 'Hi, this is CloudPay Later. Am I speaking with {name}?'],
      ),
      {
        node: 'repay_promise',
        prompts: {
          zh: ['您本期云付月付账单{amount}元将于{date}到期，目前还未还款，请问您今天能处理吗？', '您的云借借款本期应还{amount}元，已逾期一天，请问今天可以还上吗？'],
          en: ['Your CloudPay Later bill of {amount} yuan is due on {date} and is still unpaid. Can you take care of it today?', 'Your CloudLoan instalment of {amount} yuan is one day overdue. Can you pay it today?'],
        },
        replies: [
          ['promise_to_repay', 38],
          ['cannot_repay_now', 14],
          ['already_paid', 18],
          ['ask_extend_repayment', 10],
          ['ask_amount_due', 10],
          ['ask_fees', 5],
          ['busy_call_later', 6],
          ['complaint', 3],
          ['ask_repeat', 4],
          ['stop_calling', 2],
        ],
        shortReplies: {
          promise_to_repay: { zh: ['可以', '好的', '能', '行', '今天还', '能还'], en: ['yes', 'sure', 'okay', 'yes I can'] },
          cannot_repay_now: { zh: ['不行', '还不了', '没钱', '不能', '今天不行'], en: ['no', "I can't", 'not today', 'no money'] },
        },
        reactions: {
          promise_to_repay: { zh: '好的，请您按时还款，以免影响信用记录。', en: 'Thank you. Please pay on time so your credit record is not affected.' },
          already_paid: { zh: '好的，系统到账可能有延迟，如已还款请忽略本次提醒。', en: 'Thank you. Payments can take a while to show; if you have paid, please ignore this reminder.' },
          ask_amount_due: { zh: '您本期应还{amount}元，最低还款额为应还金额的10%。', en: 'The amount due is {amount} yuan; the minimum payment is 10% of it.' },
          ask_fees: { zh: '逾期每天按未还金额的万分之五收取罚息。', en: 'Late payments cost 0.05% of the unpaid amount per day.' },
        },
        next: { cannot_repay_now: 'offer_extension', ask_extend_repayment: 'offer_extension' },
      },
      {
        node: 'offer_extension',
        branch: true,
        prompts: {
          zh: ['理解您的情况。我们可以为您申请3天还款宽限期，宽限期内不影响信用，需要帮您申请吗？', '您可以申请最长3天的还款宽限期，期间不产生罚息，请问需要帮您申请吗？'],
          en: ['I understand. We can give you a 3-day grace period that does not affect your credit. Shall I set it up?', 'You can get a grace period of up to 3 days with no late fees. Would you like me to apply for it?'],
        },
        replies: [
          ['accept_extension', 48],
          ['decline_extension', 20],
          ['promise_to_repay', 8],
          ['ask_fees', 6],
          ['ask_repeat', 4],
          ['busy_call_later', 3],
          ['complaint', 2],
        ],
        shortReplies: {
          accept_extension: { zh: ['好的', '可以', '行', '要', '需要', '好'], en: ['yes please', 'sure', 'okay', 'yes'] },
          decline_extension: { zh: ['不用了', '不用', '不需要', '不要'], en: ['no thanks', 'no need', 'no', "I'm fine"] },
        },
        reactions: {
          accept_extension: { zh: '好的，已为您申请3天宽限期，请在宽限期内还款。', en: "Done: you have a 3-day grace period. Please pay within it." },
          decline_extension: { zh: '好的，请您尽快还款，以免影响信用记录。', en: 'Alright. Please pay soon so your credit record is not affected.' },
          promise_to_repay: { zh: '好的，请您按时还款。', en: 'Thank you. Please pay on time.' },
          ask_fees: { zh: '宽限期内不收取罚息。', en: 'There are no late fees during the grace period.' },
        },
      },
      anythingElseStage,
    ],
    closing: { zh: ['感谢您的接听，请按时还款，再见。'], en: ['Thank you for your time. Please remember to pay on time. Goodbye.'] },
    uncoveredWeights: { installments: 8, login_problem: 2, points_rewards: 1, invoice: 1, change_phone: 1 },
  },
  {
    id: 'identity_verification',
    name: '身份核实',
    nameEn: 'Identity confirmation',
    weight: 9,
    stages: [
      identityStage(
        ['您好，我是云付客服，您的账户正在申请更换绑定手机号，需要核实一下身份。请问是{name}本人吗？'],
        ['Hello, this is CloudPay. There is a request to change the phone number on your account and we need to verify your identity. Is this {name}?'],
      ),
      {
        node: 'ask_id_digits',
        prompts: {
          zh: ['为了您的账户安全，请告诉我您身份证号的后四位。'],
          en: ['For your security, please tell me the last four digits of your ID number.'],
        },
        replies: [
          ['give_id_last_digits', 55],
          ['suspect_scam', 10],
          ['ask_who_is_calling', 6],
          ['deny', 6],
          ['ask_repeat', 8],
          ['ask_how_got_number', 4],
          ['request_human_agent', 4],
        ],
        reactions: {
          give_id_last_digits: { zh: '好的，核实通过。', en: 'Thank you, you are verified.' },
          deny: { zh: '没关系，您也可以在app中完成人脸核验。', en: 'No problem, you can also verify with face recognition in the app.' },
        },
      },
      {
        node: 'confirm_phone_change',
        prompts: {
          zh: ['请问更换绑定手机号是您本人操作的吗？'],
          en: ['Did you request the phone number change yourself?'],
        },
        replies: [
          ['confirm_transaction_mine', 60],
          ['deny_transaction_fraud', 28],
          ['ask_details', 6],
          ['ask_repeat', 4],
        ],
        shortReplies: ownActionShort('confirm_transaction_mine', 'deny_transaction_fraud'),
        reactions: {
          deny_transaction_fraud: { zh: '好的，已为您拦截本次换绑申请，建议您尽快修改登录密码。', en: "We've blocked the change request. Please change your login password soon." },
        },
      },
    ],
    closing: defaultClosing,
    uncoveredWeights: { change_phone: 6, login_problem: 5, points_rewards: 1, invoice: 1, installments: 1 },
  },
  {
    id: 'fund_holiday_notice',
    name: '交易日顺延通知',
    nameEn: 'Fund trading-day postponement notice',
    weight: 8,
    stages: [
      {
        node: 'fund_notice',
        prompts: {
          zh: ['您好，我是云付客服中心的机器人。由于假期延长，货币基金交易日顺延至{date}，您的赎回资金将顺延到账，请您知悉。'],
          en: ['Hello, this is the CloudPay service robot. Because the holiday was extended, money-market fund trading is postponed to {date}, and your redemption will arrive later than usual.'],
        },
        replies: [
          ['affirm', 34],
          ['ask_fund_arrival', 22],
          ['ask_details', 8],
          ['ask_who_is_calling', 6],
          ['is_robot', 4],
          ['goodbye', 8],
          ['ask_repeat', 6],
          ['suspect_scam', 3],
          ['not_interested', 3],
        ],
        shortReplies: {
          affirm: { zh: ['好的', '嗯', '知道了', '行', '好'], en: ['okay', 'got it', 'alright', 'yes'] },
        },
        reactions: {
          ask_fund_arrival: { zh: '顺延期间收益照常计算，赎回资金预计在交易日恢复后1个工作日内到账。', en: 'Returns keep accruing, and redemptions should arrive within one working day after trading resumes.' },
        },
      },
      anythingElseStage,
    ],
    closing: defaultClosing,
    uncoveredWeights: { points_rewards: 3, login_problem: 3, invoice: 1, installments: 1, change_phone: 1 },
  },
];

/** What the bot says after caller intents that end the call. */
export const endingResponses: Readonly<Record<string, Bilingual<string>>> = {
  wrong_person: { zh: '抱歉打扰您了，再见。', en: 'Sorry for the trouble. Goodbye.' },
  busy_call_later: { zh: '好的，那我们稍后再联系您，再见。', en: "No problem, we'll call you back later. Goodbye." },
  stop_calling: { zh: '好的，已为您登记，后续不再致电，再见。', en: "Understood, we won't call this number again. Goodbye." },
  goodbye: { zh: '好的，感谢您的接听，再见。', en: 'Thank you for your time, goodbye.' },
  request_human_agent: { zh: '好的，正在为您转接人工客服，请稍候。', en: 'Sure, transferring you to an agent now. Please hold.' },
  complaint: { zh: '非常抱歉给您带来不好的体验，已为您记录，稍后会有专员联系您。', en: "I'm very sorry about that. I've recorded your complaint and a specialist will contact you." },
  not_interested: { zh: '好的，不打扰您了，祝您生活愉快。', en: "Alright, I won't take more of your time. Have a nice day." },
  decline_activity: { zh: '好的，如有需要可以随时在app中报名，再见。', en: 'Alright, you can enrol in the app any time. Goodbye.' },
  decline_survey: { zh: '好的，那就不打扰您了，祝您生活愉快，再见。', en: "Alright, I won't take more of your time. Goodbye." },
};

/** Flow nodes of the bot turns that end a call: the closing after the last stage, and the reply to an intent that ends it. */
export const closingNode = 'closing';
export const endCallNode = 'end_call';

/** What the bot says before asking the same question again, after caller intents that interrupt the flow. */
export const clarifyResponses: Readonly<Record<string, Bilingual<string>>> = {
  ask_repeat: { zh: '好的，我再说一遍。', en: 'Sure, let me repeat that.' },
  ask_who_is_calling: { zh: '我是云付的智能客服。', en: "I'm CloudPay's virtual assistant." },
  is_robot: { zh: '我是云付的智能语音助手，很高兴为您服务。', en: "I'm CloudPay's voice assistant, happy to help." },
  suspect_scam: { zh: '请放心，本次来电不会要求您转账或提供密码，您也可以拨打官方客服热线核实。', en: "Don't worry: we will never ask you to transfer money or share a password. You can also check by calling our official hotline." },
  ask_how_got_number: { zh: '这是您在云付账户中登记的手机号。', en: 'This is the phone number registered on your CloudPay account.' },
  ask_details: { zh: '我跟您详细说一下。', en: 'Let me explain.' },
};

/** What the bot says to a request it cannot handle (an uncovered theme). */
export const fallbackResponse: Bilingual<string> = {
  zh: '抱歉，这个问题我暂时无法处理，您可以在云付app里咨询在线客服。',
  en: "Sorry, I can't help with that on this call. You can ask our online service in the CloudPay app.",
};

/** Per-call slot values for bot prompts. */
export const slotValues = {
  surnames: { zh: ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'], en: ['Smith', 'Chen', 'Wong', 'Johnson', 'Lee', 'Brown', 'Garcia', 'Zhang', 'Taylor', 'Patel', 'Lin', 'Miller'] },
  titles: { zh: ['先生', '女士'], en: ['Mr.', 'Ms.'] },
  merchants: { zh: ['某游戏充值平台', '一家网店', '某直播平台', '一个陌生个人账户', '某电商平台'], en: ['a game top-up site', 'an online store', 'a live-streaming app', 'an unknown personal account', 'a shopping platform'] },
  products: { zh: ['长期医疗保险', '百万医疗险', '意外险', '重疾险', '账户安全险'], en: ['long-term medical insurance', 'million-coverage health plan', 'accident insurance', 'critical illness insurance', 'account security insurance'] },
  shops: { zh: ['老王水果店', '幸福便利店', '阿芳早餐铺', '宏达五金', '小李烧烤', '鲜花坊'], en: ["Wang's Fruit Shop", 'Happy Mart', "Fang's Breakfast", 'Hongda Hardware', "Li's BBQ", 'Blossom Florist'] },
  times: { zh: ['上午十点', '中午十二点', '下午三点', '刚刚', '凌晨一点'], en: ['10 a.m.', 'noon', '3 p.m.', 'a few minutes ago', '1 a.m.'] },
  dates: { zh: ['本月15号', '10月28日', '11月3日', '下周一', '2月3日', '本月底'], en: ['the 15th', 'October 28', 'November 3', 'next Monday', 'February 3', 'the end of the month'] },
} as const;
