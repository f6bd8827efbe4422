/**
 * Small talk and questions about a filed ticket are read before the classifier, which knows
 * only problems ("你好" was proposed as a consultation, "谢谢师傅" as a suggestion). Real
 * phrasings as residents type them; none of the problems may be caught.
 */
import { describe, expect, it } from 'vitest';
import { readIntent } from '../../../src/core/classify/read-intent.js';

const intentOf = (text: string) => readIntent(text)?.intent ?? 'problem';

describe('reading what a message is for', () => {
  it.each([
    '你好',
    '您好！',
    '你好师傅',
    '师傅好',
    '在吗？',
    '在吗在吗',
    '有人吗',
    '喂',
    '你好，请问',
    '哈喽',
    '早上好',
    '晚上好呀',
    'Hello',
    'hi there',
    'Good morning!',
    '你好 🙂',
  ])('"%s" is a greeting', (text) => expect(intentOf(text)).toBe('greeting'));

  it.each([
    '谢谢',
    '谢谢师傅',
    '谢谢师傅！',
    '非常感谢',
    '辛苦了',
    '师傅辛苦了',
    '好的，谢谢',
    '多谢多谢',
    '麻烦您了',
    '收到',
    'thanks',
    'Thank you very much!',
    'thx',
    'ok thanks',
    '👍',
  ])('"%s" is thanks', (text) => expect(intentOf(text)).toBe('thanks'));

  it.each([
    '怎么还没人来',
    '催一下',
    '什么时候到',
    '人呢',
    '你们人呢？？',
    '师傅什么时候能来',
    '几点来啊',
    '都等了一上午了',
    '我的工单进度怎么样了',
    '处理得怎么样了',
    '能不能快点来',
    'Any update?',
    'When will someone come?',
    'still waiting',
  ])('"%s" presses for the ticket already filed', (text) => expect(readIntent(text)).toEqual({ intent: 'urge', problem: false }));

  it.each(['水还在流 你们人呢', '暖气不热，怎么还没人来', '漏水了，快点来', 'the radiator is still cold, any update?'])(
    '"%s" presses and names a problem (a report when nothing is open)',
    (text) => expect(readIntent(text)).toEqual({ intent: 'urge', problem: true }),
  );

  it.each([
    '你好，暖气不热',
    '您好，家里暖气片不热，只有16度',
    '谢谢，但是还是漏水',
    '谢谢师傅，不过卧室那组还是凉的',
    '在吗？楼上漏水了',
    'hello, my radiator is cold',
    'thanks but the pipe is still leaking',
    '今年啥时候来暖气',
    '什么时候开始供暖',
    '补充一下 是客厅北面那组暖气',
    '冷',
    '暖气费怎么交',
    '换个暖气片多少钱',
  ])('"%s" is for the classifier, not small talk', (text) => expect(intentOf(text)).toBe('problem'));

  it.each(['嗯', '？', '。。。', '啊', 'test', '1', '...', '😀'])('"%s" says nothing to go on', (text) => expect(intentOf(text)).toBe('unclear'));
});
