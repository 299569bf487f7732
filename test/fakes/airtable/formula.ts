/**
 * The subset of Airtable's formula language the bridge's compiler emits, parsed and evaluated
 * as Airtable documents it: `{Field}` references (with `\}` and `\\` escapes), '…' and "…"
 * strings (with `\'`, `\"` and `\\`), numbers, = != < <= > >=, AND, OR, NOT, TRUE, FALSE,
 * BLANK, FIND, LOWER, LEN, RECORD_ID. A record is kept when the result is not 0, false, "",
 * NaN, [] or an error.
 */
export type Value = string | number | boolean | null | Value[]
type Node =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: Value }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'compare'; op: string; left: Node; right: Node }

export class FormulaError extends Error {}

export function parseFormula(source: string): Node {
  let i = 0
  const peek = () => source[i]
  const skip = () => {
    while (i < source.length && /\s/.test(source[i] ?? '')) i++
  }
  const expect = (char: string) => {
    skip()
    if (source[i] !== char) throw new FormulaError(`expected "${char}" at ${i}`)
    i++
  }
  const quoted = (end: string): string => {
    let out = ''
    i++
    while (i < source.length) {
      const c = source[i] ?? ''
      if (c === '\\') {
        out += source[i + 1] ?? ''
        i += 2
        continue
      }
      if (c === end) {
        i++
        return out
      }
      out += c
      i++
    }
    throw new FormulaError('unterminated literal')
  }
  const primary = (): Node => {
    skip()
    const c = peek()
    if (c === '{') return { kind: 'field', name: quoted('}') }
    if (c === "'" || c === '"') return { kind: 'literal', value: quoted(c) }
    if (c === '(') {
      i++
      const inner = comparison()
      expect(')')
      return inner
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i))
    if (number) {
      i += number[0].length
      return { kind: 'literal', value: Number(number[0]) }
    }
    const name = /^[A-Z_]+/.exec(source.slice(i))
    if (name) {
      i += name[0].length
      expect('(')
      const args: Node[] = []
      skip()
      if (peek() !== ')') {
        for (;;) {
          args.push(comparison())
          skip()
          if (peek() === ',') {
            i++
            continue
          }
          break
        }
      }
      expect(')')
      return { kind: 'call', name: name[0], args }
    }
    throw new FormulaError(`unexpected "${c ?? 'end'}" at ${i}`)
  }
  const comparison = (): Node => {
    const left = primary()
    skip()
    const op = /^(!=|<=|>=|=|<|>)/.exec(source.slice(i))
    if (!op) return left
    i += op[0].length
    return { kind: 'compare', op: op[0], left, right: primary() }
  }
  const root = comparison()
  skip()
  if (i !== source.length) throw new FormulaError(`unexpected "${source[i]}" at ${i}`)
  return root
}

export function truthy(value: Value): boolean {
  if (value === null || value === false || value === 0 || value === '') return false
  if (typeof value === 'number' && Number.isNaN(value)) return false
  if (Array.isArray(value) && value.length === 0) return false
  return true
}

const FUNCTIONS = new Set([
  'AND',
  'OR',
  'NOT',
  'TRUE',
  'FALSE',
  'BLANK',
  'FIND',
  'LOWER',
  'LEN',
  'RECORD_ID',
])

export function checkFunctions(node: Node): void {
  if (node.kind === 'call') {
    if (!FUNCTIONS.has(node.name)) throw new FormulaError(`unknown function ${node.name}`)
    node.args.forEach(checkFunctions)
  }
  if (node.kind === 'compare') {
    checkFunctions(node.left)
    checkFunctions(node.right)
  }
}

export function evaluate(node: Node, record: { id: string; fields: Record<string, Value> }): Value {
  switch (node.kind) {
    case 'literal':
      return node.value
    case 'field':
      return record.fields[node.name] ?? null
    case 'compare': {
      const rawLeft = evaluate(node.left, record)
      const rawRight = evaluate(node.right, record)
      // A blank cell is 0 next to a number and "" next to text.
      const numeric =
        typeof comparable(rawLeft) === 'number' || typeof comparable(rawRight) === 'number'
      const left = rawLeft === null && numeric ? 0 : comparable(rawLeft)
      const right = rawRight === null && numeric ? 0 : comparable(rawRight)
      switch (node.op) {
        case '=':
          return left === right
        case '!=':
          return left !== right
        case '<':
          return left < right
        case '<=':
          return left <= right
        case '>':
          return left > right
        default:
          return left >= right
      }
    }
    case 'call': {
      const args = () => node.args.map((arg) => evaluate(arg, record))
      switch (node.name) {
        case 'AND':
          return node.args.every((arg) => truthy(evaluate(arg, record)))
        case 'OR':
          return node.args.some((arg) => truthy(evaluate(arg, record)))
        case 'NOT':
          return !truthy(evaluate(node.args[0] ?? { kind: 'literal', value: null }, record))
        case 'TRUE':
          return true
        case 'FALSE':
          return false
        case 'BLANK':
          return null
        case 'RECORD_ID':
          return record.id
        case 'LOWER':
          return String(args()[0] ?? '').toLowerCase()
        case 'LEN':
          return String(args()[0] ?? '').length
        case 'FIND': {
          const [needle, haystack] = args()
          return String(haystack ?? '').indexOf(String(needle ?? '')) + 1
        }
        default:
          throw new FormulaError(`unknown function ${node.name}`)
      }
    }
  }
}

/** Airtable compares a blank cell as "" or 0, and a checkbox as 1/0. */
function comparable(value: Value): string | number {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 1 : 0
  if (Array.isArray(value)) return value.join(', ')
  return value
}
