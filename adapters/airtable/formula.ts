import type { Condition, Scalar } from '../../src/data/types'

/**
 * Compiles normalized conditions to an Airtable `filterByFormula` (docs/providers.md, Airtable):
 * every string value quoted with `\` and `'` escaped, every field reference with `\` and `}`
 * escaped, numbers only when finite. A value can never become formula syntax.
 */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

export function fieldRef(name: string): string {
  return `{${name.replace(/\\/g, '\\\\').replace(/}/g, '\\}')}}`
}

function literal(value: Scalar): string {
  if (value === null) return 'BLANK()'
  if (typeof value === 'boolean') return value ? 'TRUE()' : 'FALSE()'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('non-finite number in a filter')
    return String(value)
  }
  return quoteString(value)
}

function compileOne(condition: Condition): string {
  const ref = fieldRef(condition.field)
  const { value } = condition
  switch (condition.op) {
    case 'eq':
      // An unchecked checkbox is blank in Airtable, so "= false" means NOT({field}).
      if (value === false) return `NOT(${ref})`
      if (value === true) return `${ref} = TRUE()`
      return `${ref} = ${literal(value as Scalar)}`
    case 'ne':
      if (value === false) return `${ref} = TRUE()`
      if (value === true) return `NOT(${ref})`
      return `${ref} != ${literal(value as Scalar)}`
    case 'lt':
      return `${ref} < ${literal(value as Scalar)}`
    case 'lte':
      return `${ref} <= ${literal(value as Scalar)}`
    case 'gt':
      return `${ref} > ${literal(value as Scalar)}`
    case 'gte':
      return `${ref} >= ${literal(value as Scalar)}`
    case 'in': {
      const values = Array.isArray(value) ? value : [value]
      if (values.length === 0) return 'FALSE()'
      return `OR(${values.map((v) => `${ref} = ${literal(v)}`).join(', ')})`
    }
    case 'contains':
      return `FIND(${literal(value as Scalar)}, ${ref}) > 0`
  }
}

/** ANDs every condition; the owner scope is one of them. */
export function compileFormula(where: Condition[], extra: string[] = []): string {
  const parts = [...where.map(compileOne), ...extra]
  if (parts.length === 0) return ''
  return `AND(${parts.join(', ')})`
}
