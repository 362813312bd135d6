import { describe, expect, it } from 'vitest';
import { findEnglishRuns } from './englishRuns';

describe('findEnglishRuns', () => {
  it('flags an English sentence inside Chinese text, and the one from issue 12', () => {
    expect(findEnglishRuns('出错了: 冲突 / An intent named 投诉 already exists. 字段：name')).toEqual(['An intent named']);
    expect(findEnglishRuns('读写或连接失败\nCannot reach the Callsift server: Failed to fetch')).toEqual(['Cannot reach the', 'server: Failed to fetch']);
  });

  it('passes Chinese text with identifiers, formats, keys, addresses and paths', () => {
    expect(findEnglishRuns('字段 name：不能为空。')).toEqual([]);
    expect(findEnglishRuns('请使用 JSON Lines、CSV、TSV 或 Excel 文件')).toEqual([]);
    expect(findEnglishRuns('无法连接 http://127.0.0.1:1 上的平台')).toEqual([]);
    expect(findEnglishRuns('已拒绝：文件夹“/etc/ssh”（字段 folder）')).toEqual([]);
    expect(findEnglishRuns('如需使用其他文件夹，请运行 npm run serve -- --allow 文件夹')).toEqual([]);
    expect(findEnglishRuns('Enter 保存 · Esc 关闭 · Shift Tab 上一个')).toEqual([]);
  });

  it('leaves out data strings, which may be English', () => {
    const text = '意图 ask about points · 话语 I want my money back';
    expect(findEnglishRuns(text)).toEqual(['ask about points', 'I want my money back']);
    expect(findEnglishRuns(text, ['ask about points', 'I want my money back'])).toEqual([]);
  });

  it('does not join words across lines', () => {
    expect(findEnglishRuns('Callsift\nv3\nF1 score\nok')).toEqual([]);
  });
});
