type Scalar = string | number | boolean
type Operator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'contains'

/** A list query as the data routes read it. */
export type ListQuery<F extends string = string> = {
  /** `{ done: false, priority: { gte: 2 }, status: { in: ['a', 'b'] } }` */
  filter?: Partial<Record<F, Scalar | Partial<Record<Operator, Scalar | Scalar[]>>>>
  /** `['-createdAt', 'title']` or `'-createdAt,title'` */
  sort?: string | string[]
  limit?: number
  fields?: F[]
  cursor?: string
}

export function queryString(query: ListQuery): string {
  const params = new URLSearchParams()
  for (const [field, condition] of Object.entries(query.filter ?? {})) {
    if (condition === undefined) continue
    if (typeof condition !== 'object') {
      params.append(`filter[${field}]`, String(condition))
      continue
    }
    for (const [op, value] of Object.entries(condition)) {
      for (const item of Array.isArray(value) ? value : [value])
        params.append(`filter[${field}][${op}]`, String(item))
    }
  }
  if (query.sort) params.set('sort', Array.isArray(query.sort) ? query.sort.join(',') : query.sort)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.fields) params.set('fields', query.fields.join(','))
  if (query.cursor) params.set('cursor', query.cursor)
  const text = params.toString()
  return text ? `?${text}` : ''
}
