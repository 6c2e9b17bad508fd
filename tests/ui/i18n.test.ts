/** Both languages fill the same keys (tsc checks that) with the same `{placeholders}` (this checks that). */
import { expect, test } from 'bun:test'
import { en } from '../../ui/src/i18n/en'
import { zhCN } from '../../ui/src/i18n/zh-CN'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

test('every zh-CN string has the placeholders of its English original', () => {
  const mismatched = Object.entries(en)
    .filter(([key, text]) => placeholders(text).join() !== placeholders(zhCN[key as keyof typeof en]).join())
    .map(([key]) => key)
  expect(mismatched).toEqual([])
  expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort())
})

test('no zh-CN string was left in English by mistake', () => {
  // Brand names and pure formats may stay as they are; everything else must be translated.
  const same = Object.entries(en).filter(([key, text]) => zhCN[key as keyof typeof en] === text && /[a-z]{3}/i.test(text.replace(/\{\w+\}/g, '')))
  expect(same.map(([k]) => k)).toEqual(['app.name'])
})
