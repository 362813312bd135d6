import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, findDecodeFailure, looksBinary } from './encoding';

const SIMPLIFIED = ['我想查一下话费', '帮我把套餐退订了', '你们是哪个公司的', '现在不方便，晚点再打', '喂？', '可以', '不是', '多少钱'];
const TRADITIONAL = ['我想查詢話費', '幫我把套餐退訂了', '你們是哪個公司的', '現在不方便，晚點再打', '轉人工客服', '你好', '對', '多少錢'];

describe('chooseEncoding', () => {
  it('tells GBK from Big5 even for a one-row file, by the characters each decoding gives', () => {
    for (let rows = 1; rows <= 4; rows++) {
      for (let k = 0; k < SIMPLIFIED.length; k++) {
        const pick = (list: string[]) => Array.from({ length: rows }, (_, i) => `c${i},${list[(k + i) % list.length]},x`).join('\n');
        expect(chooseEncoding(iconv.encode(`id,text,intent\n${pick(SIMPLIFIED)}`, 'gbk')).encoding, pick(SIMPLIFIED)).toBe('gb18030');
        expect(chooseEncoding(iconv.encode(`id,text,intent\n${pick(TRADITIONAL)}`, 'big5')).encoding, pick(TRADITIONAL)).toBe('big5');
      }
    }
  });

  it('reads BOMs, prefers valid UTF-8, and gives way to an encoding the caller names', () => {
    expect(chooseEncoding(Buffer.from('\uFEFFtext\n你好', 'utf8'))).toEqual({ encoding: 'utf-8', source: 'bom', alternatives: [] });
    expect(chooseEncoding(iconv.encode('text\n你好', 'utf-16le', { addBOM: true })).source).toBe('bom');
    expect(chooseEncoding(Buffer.from('text\n我想查一下话费', 'utf8')).encoding).toBe('utf-8');
    const given = chooseEncoding(iconv.encode('text\n我想查一下话费', 'gbk'), 'big5');
    expect(given).toMatchObject({ encoding: 'big5', source: 'given' });
    expect(given.alternatives[0]?.encoding).toBe('gb18030');
  });

  it('keeps UTF-8 for ASCII text with a few stray bytes, so the refusal names UTF-8 and the line', () => {
    const bytes = Buffer.concat([Buffer.from('text,intent\n' + 'hello,a\n'.repeat(200)), Buffer.from([0xff, 0x0a])]);
    const chosen = chooseEncoding(bytes);
    expect(chosen.encoding).toBe('utf-8');
    expect(findDecodeFailure(bytes, 'utf-8')).toEqual({ line: 202, encoding: 'utf-8' });
  });

  it('calls bytes with NULs or many control characters binary, and text not', () => {
    expect(looksBinary(Buffer.from([0x50, 0x00, 0x01]))).toBe(true);
    expect(looksBinary(Buffer.from('text\r\n\t你好', 'utf8'))).toBe(false);
  });
});
