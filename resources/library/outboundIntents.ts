import type { LibraryIntent } from '../../shared/contract/dto';

/** Language codes the built-in library covers. */
export type LibraryLanguage = 'zh' | 'en';

const GROUP = 'general';

const zh: readonly LibraryIntent[] = [
  {
    key: 'identity_confirmed',
    name: '确认本人',
    description: '用户确认自己就是要找的人',
    examples: ['嗯对是我', '是我，你说', '我就是', '对对对，本人', '是的，是我本人', '嗯，我是，什么事', '对，就是我', '是我啊，怎么了'],
    group: GROUP,
  },
  {
    key: 'wrong_person',
    name: '非本人/打错了',
    description: '接电话的不是要找的人，或号码打错了',
    examples: ['你打错了', '不是我，你找错人了', '我不认识这个人', '这不是他的电话', '他不在，我是他家里人', '没有这个人', '我这号码刚办的，不是他的', '你找谁啊？不是我'],
    group: GROUP,
  },
  {
    key: 'busy_call_later',
    name: '在忙/稍后再打',
    description: '用户现在不方便，希望晚点再联系',
    examples: ['我现在在开会晚点再打', '在开车呢，不方便', '我在忙，等会儿再说', '你下午再打过来吧', '现在不方便接电话', '我在上班，晚上再说吧', '等一下再打给我', '我这边有点事，回头再聊'],
    group: GROUP,
  },
  {
    key: 'request_human_agent',
    name: '转人工',
    description: '用户要求转接人工客服',
    examples: ['转人工', '我要找人工客服', '给我转真人', '能不能让人工跟我说', '人工服务', '我不跟机器人说，转人工', '帮我接一下人工', '有没有真人啊'],
    group: GROUP,
  },
  {
    key: 'not_interested',
    name: '不感兴趣',
    description: '用户对推荐的产品或活动没有兴趣',
    examples: ['不感兴趣', '不需要，谢谢', '这个我用不上', '算了吧，没兴趣', '不用了不用了', '我不要这个', '暂时不考虑', '没什么兴趣'],
    group: GROUP,
  },
  {
    key: 'already_paid',
    name: '已经还款/已支付',
    description: '用户表示已经还款或已经付过钱了',
    examples: ['我已经还了', '昨天就还上了', '钱已经付过了', '早就还清了啊', '我刚刚还了', '已经转过去了', '上周就还完了', '我还过了，你查一下'],
    group: GROUP,
  },
  {
    key: 'ask_who_is_calling',
    name: '询问来电身份',
    description: '用户询问对方是谁、是哪里打来的',
    examples: ['你是哪位', '你哪里啊', '你是谁啊', '你们是什么公司', '哪个单位的', '你是干什么的', '喂，你是哪里', '你是哪个平台的'],
    group: GROUP,
  },
  {
    key: 'ask_how_got_number',
    name: '询问号码来源',
    description: '用户质问对方如何获得自己的电话号码',
    examples: ['你们怎么有我电话的', '谁给你的我号码', '我的号码你从哪来的', '你们怎么知道我手机号', '我没留过电话啊', '这号码你们哪儿弄的', '是不是把我信息泄露了', '怎么会有我号码'],
    group: GROUP,
  },
  {
    key: 'affirm',
    name: '肯定/同意',
    description: '用户表示同意、肯定或知道了',
    examples: ['好的', '可以', '嗯嗯行', '没问题', '好的知道了', 'OK', '对的', '行，就这样'],
    group: GROUP,
  },
  {
    key: 'deny',
    name: '否定/拒绝',
    description: '用户表示否定、拒绝或没有',
    examples: ['不是', '没有', '不用', '不行', '不可以', '没有了', '不对', '不要'],
    group: GROUP,
  },
  {
    key: 'ask_repeat',
    name: '没听清/请重复',
    description: '用户没听清，请对方再说一遍',
    examples: ['没听清，你再说一遍', '啥？', '喂？喂？', '你说什么', '信号不好，听不清', '能再说一下吗', '你说慢点', '刚才说的什么'],
    group: GROUP,
  },
  {
    key: 'complaint',
    name: '投诉',
    description: '用户表达不满或要求投诉',
    examples: ['我要投诉你们', '你们这服务太差了', '天天打电话烦不烦', '我要找你们领导', '我去12315投诉', '你们这是骚扰', '态度太差了', '我要投诉这个事'],
    group: GROUP,
  },
  {
    key: 'stop_calling',
    name: '别再打了',
    description: '用户要求以后不要再打电话',
    examples: ['别再给我打电话了', '以后不要打了', '把我号码删了', '不要再打过来了', '拉黑我吧，别打了', '再打我就投诉了', '取消这个电话提醒', '以后别联系我'],
    group: GROUP,
  },
  {
    key: 'ask_details',
    name: '询问详情',
    description: '用户想进一步了解具体内容',
    examples: ['具体是什么情况', '你详细说一下', '什么意思啊', '怎么回事', '能说清楚点吗', '是什么东西', '具体怎么弄', '这个是干嘛的'],
    group: GROUP,
  },
  {
    key: 'goodbye',
    name: '结束通话/再见',
    description: '用户要结束通话',
    examples: ['好了再见', '挂了啊', '拜拜', '就这样吧，挂了', '行，再见', '没事我挂了', '先这样', '嗯，拜拜'],
    group: GROUP,
  },
  {
    key: 'ask_fees',
    name: '询问费用',
    description: '用户询问是否收费、手续费或利息',
    examples: ['要收费吗', '手续费多少', '有没有利息', '收不收钱', '会扣钱吗', '这个免费吗', '利息怎么算', '要不要额外交钱'],
    group: GROUP,
  },
  {
    key: 'is_robot',
    name: '是不是机器人',
    description: '用户怀疑或询问对方是不是机器人',
    examples: ['你是机器人吧', '你是真人吗', '是不是录音啊', '你是AI吗', '怎么听着像机器', '你是人还是机器人', '这是自动打的吧', '机器人是吧'],
    group: GROUP,
  },
  {
    key: 'suspect_scam',
    name: '怀疑诈骗',
    description: '用户怀疑这是诈骗电话',
    examples: ['你是骗子吧', '骗子电话', '我怎么知道你不是骗子', '诈骗的吧', '我要报警了', '你们这是诈骗', '别想骗我', '一听就是骗人的'],
    group: GROUP,
  },
];

const en: readonly LibraryIntent[] = [
  {
    key: 'identity_confirmed',
    name: 'Confirms identity',
    description: 'The caller confirms they are the person being asked for',
    examples: ["yes it's me", 'speaking', 'yeah this is him', "that's me", 'yes this is she', 'yep, who is this', 'yes, go ahead', 'this is he'],
    group: GROUP,
  },
  {
    key: 'wrong_person',
    name: 'Wrong person / wrong number',
    description: 'The person on the line is not the one asked for, or the number is wrong',
    examples: ['you have the wrong number', "no that's not me", "I don't know who that is", "he's not here, I'm his wife", 'wrong person', 'nobody by that name lives here', 'I just got this number', "sorry, there's no one called that"],
    group: GROUP,
  },
  {
    key: 'busy_call_later',
    name: 'Busy / call me later',
    description: 'The caller cannot talk now and asks to be called back later',
    examples: ["I'm in a meeting, call me later", "I'm driving right now", 'can you call back this afternoon', "I'm busy at the moment", 'not a good time', "I'm at work, call me tonight", 'call me back in an hour', 'can we do this later'],
    group: GROUP,
  },
  {
    key: 'request_human_agent',
    name: 'Asks for a human agent',
    description: 'The caller wants to be transferred to a human agent',
    examples: ['let me talk to a real person', 'agent please', 'transfer me to a human', 'can I speak to someone', 'representative', "I don't want to talk to a machine", 'get me a human', 'operator'],
    group: GROUP,
  },
  {
    key: 'not_interested',
    name: 'Not interested',
    description: 'The caller is not interested in the offer or product',
    examples: ['not interested', 'no thanks', "I don't need that", "I'll pass", "that's not for me", 'not right now thanks', "I'm good, thanks", 'no, not interested at all'],
    group: GROUP,
  },
  {
    key: 'already_paid',
    name: 'Already paid',
    description: 'The caller says the bill or payment is already settled',
    examples: ['I already paid', 'I paid it yesterday', "it's been paid already", 'I paid that off last week', 'I just made the payment', 'the money is already sent', "I've already settled it", 'check again, I paid'],
    group: GROUP,
  },
  {
    key: 'ask_who_is_calling',
    name: 'Asks who is calling',
    description: 'The caller asks who is on the line or which company is calling',
    examples: ['who is this', "who's calling", 'what company are you with', 'where are you calling from', 'sorry, who are you', 'who am I speaking to', 'which company is this', 'hello, who is it'],
    group: GROUP,
  },
  {
    key: 'ask_how_got_number',
    name: 'Asks how they got the number',
    description: 'The caller asks how the company got their phone number',
    examples: ['how did you get my number', 'where did you get this number', 'who gave you my number', 'I never gave you my phone number', 'how do you have my number', 'did someone sell my info', 'why do you have my number', 'how did you find me'],
    group: GROUP,
  },
  {
    key: 'affirm',
    name: 'Yes / agree',
    description: 'The caller agrees, confirms or acknowledges',
    examples: ['yes', 'sure', 'okay', 'yeah that works', 'sounds good', 'alright', 'yep', 'got it'],
    group: GROUP,
  },
  {
    key: 'deny',
    name: 'No / refuse',
    description: 'The caller says no, refuses or has nothing more',
    examples: ['no', 'nope', "no I don't", 'not really', "that's all, no", 'no thank you', 'nah', "I don't think so"],
    group: GROUP,
  },
  {
    key: 'ask_repeat',
    name: "Didn't hear / please repeat",
    description: 'The caller did not hear and asks to repeat',
    examples: ['sorry, can you repeat that', 'what', 'hello? hello?', "I didn't catch that", 'say that again', 'the line is bad', 'can you speak slower', 'pardon'],
    group: GROUP,
  },
  {
    key: 'complaint',
    name: 'Complaint',
    description: 'The caller is unhappy and wants to complain',
    examples: ['I want to file a complaint', 'this service is terrible', "you keep calling me, it's annoying", 'let me talk to your manager', "I'm reporting this", 'this is harassment', 'your service is awful', "I'm really unhappy with this"],
    group: GROUP,
  },
  {
    key: 'stop_calling',
    name: 'Stop calling / unsubscribe',
    description: 'The caller asks not to be called again',
    examples: ['stop calling me', 'take me off your list', "don't call this number again", 'remove my number', 'unsubscribe me', 'please stop calling', 'put me on the do not call list', 'never call me again'],
    group: GROUP,
  },
  {
    key: 'ask_details',
    name: 'Asks for details',
    description: 'The caller wants more details about what is being said',
    examples: ['what is this about', 'can you explain', 'what do you mean', 'tell me more', 'what exactly is it', 'how does it work', 'can you give me the details', "I don't understand, what's this"],
    group: GROUP,
  },
  {
    key: 'goodbye',
    name: 'Hang up / goodbye',
    description: 'The caller ends the call',
    examples: ['bye', 'okay goodbye', "I'm hanging up", "that's it, bye", 'thanks, bye', 'have a good day', "alright, I've got to go", 'bye bye'],
    group: GROUP,
  },
  {
    key: 'ask_fees',
    name: 'Asks about fees',
    description: 'The caller asks about charges, fees or interest',
    examples: ['is there a fee', 'how much does it cost', 'is there any interest', 'will you charge me', 'is it free', "what's the interest rate", 'are there hidden charges', 'do I have to pay extra'],
    group: GROUP,
  },
  {
    key: 'is_robot',
    name: 'Asks if it is a robot',
    description: 'The caller asks whether they are talking to a machine',
    examples: ['are you a robot', 'is this a real person', 'is this a recording', 'am I talking to a machine', 'are you AI', 'you sound like a bot', 'is this automated', 'are you human'],
    group: GROUP,
  },
  {
    key: 'suspect_scam',
    name: 'Suspects a scam',
    description: 'The caller suspects the call is a scam',
    examples: ['this is a scam', 'you are scammers', 'how do I know this is not a scam', "I'm calling the police", 'nice try', 'this sounds like fraud', "I'm not falling for this", 'scam call'],
    group: GROUP,
  },
];

/**
 * The built-in library of general outbound-call intents, in Chinese and English.
 * Both languages hold the same keys in the same order, so an intent can be added in either.
 */
export const outboundIntentLibrary: Readonly<Record<LibraryLanguage, readonly LibraryIntent[]>> = { zh, en };

/** Finds a library intent by language and key; undefined when the key is unknown. */
export function findLibraryIntent(language: LibraryLanguage, key: string): LibraryIntent | undefined {
  return outboundIntentLibrary[language].find((intent) => intent.key === key);
}
