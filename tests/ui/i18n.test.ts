/** Every language fills exactly English's keys (tsc checks that too) with the same `{placeholders}` (this checks that). */
import { describe, expect, test } from 'bun:test'
import { en } from '../../ui/src/i18n/en'
import { ja } from '../../ui/src/i18n/ja'
import { zhCN } from '../../ui/src/i18n/zh-CN'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const LOCALES: Record<string, Record<string, string>> = { 'zh-CN': zhCN, ja }

describe.each(Object.entries(LOCALES))('%s', (_name, dict) => {
  test('has exactly the keys of en', () => {
    expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort())
  })

  test('every string has the placeholders of its English original', () => {
    const mismatched = Object.entries(en)
      .filter(([key, text]) => placeholders(text).join() !== placeholders(dict[key] ?? '').join())
      .map(([key]) => key)
    expect(mismatched).toEqual([])
  })

  test('no string was left in English by mistake', () => {
    // Brand names and pure formats may stay as they are; everything else must be translated.
    const same = Object.entries(en).filter(([key, text]) => dict[key] === text && /[a-z]{3}/i.test(text.replace(/\{\w+\}/g, '')))
    expect(same.map(([k]) => k)).toEqual(['app.name'])
  })
})

test('Japanese strings are Japanese, not copied from the Chinese file', () => {
  // Kana run through natural Japanese sentences; only words written alike in both languages may equal zh-CN.
  const kana = /[\u3040-\u30ff]/
  const withKana = Object.values(ja).filter((text) => kana.test(text)).length
  expect(withKana / Object.keys(ja).length).toBeGreaterThan(0.7)
  const sameAsChinese = Object.keys(en).filter((key) => ja[key as keyof typeof en] === zhCN[key as keyof typeof en])
  expect(sameAsChinese.sort()).toEqual(
    ['app.name', 'common.actions', 'common.save', 'common.saving', 'dash.success', 'logs.success', 'settings.empty', 'task.progress'].sort(),
  )
})
