import { distance } from 'fastest-levenshtein'
import type { Principal } from '../identity/principal'
import {
  OPERATIONS,
  OPERATORS,
  type BackendContext,
  type DataAdapter,
  type FieldSpec,
  type Operator,
  type Scalar,
  type Scope,
  type SortKey,
} from './types'

/** Builds the adapter bound to a resource's base and table, model, or collection. */
type BackendFactory = (context: BackendContext) => DataAdapter

/**
 * Where a resource's rows are, named for the driver that reaches them (`prisma.model('Post')`):
 * the deployment declares it without a connection, and the driver's adapter, once set up,
 * turns it into a BackendFactory over its own connection (see `Contribution.drivers`).
 */
export type BackendReference = { readonly driver: string }

/** What a driver's adapter contributes: a reference of its kind in, a backend out. */
export type Driver = (reference: BackendReference) => BackendFactory

export type ResourceDefinition = {
  /** The name in the URL: /v1/data/{name}. */
  name: string
  /** The rows: a driver's reference (bound at start-up) or a backend of its own. */
  backend: BackendFactory | BackendReference
  fields: Record<string, FieldSpec>
  /** Which field holds the owner, and which principal attribute it must equal. `email` also requires a verified email. */
  owner: { field: string; principal: 'userId' | 'email' | 'orgId' }
  /**
   * Operations not listed are not allowed. `create: true` allows create (the owner is always
   * preset); a function allows it when it returns conditions (not null) for the principal.
   */
  operations: Partial<{
    list: Scope
    get: Scope
    create: true | Exclude<Scope, string>
    update: Scope
    delete: Scope
  }>
  readable: string[]
  /** Fields a client may send on create and update. */
  writable: string[]
  /** Fields a client may send on create only. */
  writableOnCreate?: string[]
  /** Server-set values on create. The owner is always one of them. */
  presets?: Record<string, (principal: Principal) => Scalar>
  /** Fields that never change after create. The owner is always one of them. */
  immutable?: string[]
  filterable?: string[]
  sortable?: string[]
  operators?: Operator[]
  defaultSort?: SortKey[]
  /** Largest page (≤ 100). */
  maxPageSize?: number
}

/** A resource after its start-up check, with defaults filled in. */
export type Resource = Required<Omit<ResourceDefinition, 'backend' | 'operations'>> & {
  operations: ResourceDefinition['operations']
  adapter: DataAdapter
}

const MAX_PAGE_SIZE = 100

/**
 * A resource definition whose field lists are typed against its own `fields`: `owner.field`,
 * `readable`, `writable`, `writableOnCreate`, `immutable`, `filterable`, `sortable`, `presets`
 * and `defaultSort` may name only declared fields, so a typo fails `tsc`.
 */
export type TypedResourceDefinition<F extends string> = Omit<
  ResourceDefinition,
  | 'fields'
  | 'owner'
  | 'readable'
  | 'writable'
  | 'writableOnCreate'
  | 'presets'
  | 'immutable'
  | 'filterable'
  | 'sortable'
  | 'defaultSort'
> & {
  fields: Record<F, FieldSpec>
  owner: { field: NoInfer<F>; principal: 'userId' | 'email' | 'orgId' }
  readable: NoInfer<F>[]
  writable: NoInfer<F>[]
  writableOnCreate?: NoInfer<F>[]
  presets?: Partial<Record<NoInfer<F>, (principal: Principal) => Scalar>>
  immutable?: NoInfer<F>[]
  filterable?: NoInfer<F>[]
  sortable?: NoInfer<F>[]
  defaultSort?: { field: NoInfer<F>; direction: SortKey['direction'] }[]
}

/**
 * Declares a resource in an adapter module: the field lists are checked by the compiler against
 * `fields`, and everything again at start-up by `resourceProblems` (and `bridgekeeper policy
 * check`).
 */
export function defineResource<const F extends string>(
  definition: TypedResourceDefinition<F>,
): ResourceDefinition {
  return definition as ResourceDefinition
}

/** The closest of `candidates` to a misspelt `name` (edit distance ≤ 3), for a hint. */
function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d <= 3 && (!best || d < best.distance)) best = { candidate, distance: d }
  }
  return best?.candidate
}

const hint = (name: string, candidates: Iterable<string>) => {
  const match = nearest(name, candidates)
  return match === undefined ? '' : ` (did you mean "${match}"?)`
}

/** Every problem with a policy, so a bad one stops start-up with a clear message. */
export function resourceProblems(definition: ResourceDefinition): string[] {
  const problems: string[] = []
  const at = `resource "${definition.name}"`
  const known = new Set(Object.keys(definition.fields))
  const check = (list: string[] | undefined, what: string) => {
    for (const field of list ?? [])
      if (!known.has(field))
        problems.push(`${at}: ${what} names unknown field "${field}"${hint(field, known)}`)
  }
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(definition.name))
    problems.push(`${at}: name must be lowercase letters, digits and "-"`)
  if (!definition.owner?.field) problems.push(`${at}: the owner rule has no owner field`)
  else if (!known.has(definition.owner.field))
    problems.push(
      `${at}: owner field "${definition.owner.field}" is not a field${hint(definition.owner.field, known)}`,
    )
  check(definition.readable, 'readable')
  check(definition.writable, 'writable')
  check(definition.writableOnCreate, 'writableOnCreate')
  check(definition.immutable, 'immutable')
  check(definition.filterable, 'filterable')
  check(definition.sortable, 'sortable')
  check(Object.keys(definition.presets ?? {}), 'presets')
  const clientWritable = new Set([...definition.writable, ...(definition.writableOnCreate ?? [])])
  for (const field of clientWritable) {
    if (definition.fields[field]?.readOnly)
      problems.push(`${at}: "${field}" is read-only in the backend and can't be writable`)
    if (field === definition.owner?.field)
      problems.push(`${at}: the owner field "${field}" can't be client-writable`)
  }
  for (const field of Object.keys(definition.presets ?? {})) {
    if (definition.fields[field]?.readOnly)
      problems.push(`${at}: preset on "${field}", which the backend doesn't let anyone write`)
    if (clientWritable.has(field))
      problems.push(
        `${at}: preset on "${field}", which clients may also write; a preset is server-set`,
      )
  }
  for (const [key, scope] of Object.entries(definition.operations ?? {}) as [string, unknown][]) {
    if (!(OPERATIONS as readonly string[]).includes(key)) {
      problems.push(`${at}: unknown operation "${key}"${hint(key, OPERATIONS)}`)
      continue
    }
    // A scope typo ('mine') would otherwise pass start-up and fail every request with a 500.
    const allowed =
      typeof scope === 'function' ||
      (key === 'create' ? scope === true : scope === 'own' || scope === 'all')
    if (!allowed)
      problems.push(
        `${at}: operations.${key} is ${JSON.stringify(scope)}; use ${key === 'create' ? 'true' : "'own', 'all'"} or a function${typeof scope === 'string' ? hint(scope, ['own', 'all']) : ''}`,
      )
  }
  for (const op of definition.operators ?? []) {
    if (!(OPERATORS as readonly string[]).includes(op))
      problems.push(`${at}: unknown operator "${op}"`)
  }
  // Filtering or sorting on a field reveals its values (a filter is a yes/no oracle, a sort an
  // order), so only readable fields may be filtered or sorted on.
  const readable = new Set(definition.readable)
  const mustBeReadable = (list: string[] | undefined, what: string) => {
    for (const field of list ?? [])
      if (known.has(field) && !readable.has(field))
        problems.push(`${at}: ${what} names "${field}", which is not readable`)
  }
  mustBeReadable(definition.filterable, 'filterable')
  mustBeReadable(definition.sortable, 'sortable')
  mustBeReadable(
    definition.defaultSort?.map((key) => key.field),
    'defaultSort',
  )
  const size = definition.maxPageSize ?? MAX_PAGE_SIZE
  if (size < 1 || size > MAX_PAGE_SIZE)
    problems.push(`${at}: maxPageSize must be 1-${MAX_PAGE_SIZE}`)
  for (const key of definition.defaultSort ?? []) {
    if (!known.has(key.field))
      problems.push(
        `${at}: defaultSort names unknown field "${key.field}"${hint(key.field, known)}`,
      )
  }
  return problems
}

/** A resource whose backend is known: its own, or its reference bound by a driver. */
export type BoundResourceDefinition = ResourceDefinition & { backend: BackendFactory }

/**
 * The definition with its driver's backend, or undefined when its driver isn't set up (the
 * resource is then not served, as when its backend isn't configured).
 */
export function withDriver(
  definition: ResourceDefinition,
  drivers: Readonly<Record<string, Driver>>,
): BoundResourceDefinition | undefined {
  const backend = definition.backend
  if (typeof backend === 'function') return { ...definition, backend }
  const driver = drivers[backend.driver]
  return driver && { ...definition, backend: driver(backend) }
}

/** Fills in defaults and binds the backend. Call after `resourceProblems` found nothing. */
export function bindResource(
  definition: BoundResourceDefinition,
  context: Omit<BackendContext, 'fields'>,
): Resource {
  const adapter = definition.backend({ ...context, fields: definition.fields })
  const ownerPreset = (principal: Principal): Scalar =>
    definition.owner.principal === 'email'
      ? principal.emailVerified
        ? (principal.email ?? null)
        : null
      : definition.owner.principal === 'orgId'
        ? (principal.orgId ?? null)
        : principal.userId
  return {
    name: definition.name,
    fields: definition.fields,
    owner: definition.owner,
    operations: definition.operations,
    readable: definition.readable,
    writable: definition.writable,
    writableOnCreate: definition.writableOnCreate ?? [],
    presets: { ...definition.presets, [definition.owner.field]: ownerPreset },
    immutable: [...new Set([...(definition.immutable ?? []), definition.owner.field])],
    filterable: definition.filterable ?? definition.readable,
    sortable: definition.sortable ?? definition.readable,
    operators: (definition.operators ?? adapter.capabilities.operators).filter((op) =>
      adapter.capabilities.operators.includes(op),
    ),
    defaultSort: definition.defaultSort ?? [],
    maxPageSize: Math.min(
      definition.maxPageSize ?? MAX_PAGE_SIZE,
      adapter.capabilities.maxPageSize,
    ),
    adapter,
  }
}
