/**
 * A TypeBox string enum built from an `as const` tuple (the tuple stays the one declaration of the values), as a
 * union of literals. Not `t.UnionEnum`: Elysia fills an absent optional UnionEnum with its first value, which
 * would turn "no filter" into a filter.
 */
import type { TLiteral, TUnion } from '@sinclair/typebox'
import { t } from 'elysia'

export const literalUnion = <const T extends readonly [string, ...string[]]>(values: T) =>
  t.Union(values.map((v) => t.Literal(v))) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>
