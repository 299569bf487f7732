import type { Metrics } from '../observability/metrics'
import type { AppError } from '../errors/app-error'
import type { Clock } from '../clock'
import type { Principal } from '../identity/principal'
import type { Logger } from '../observability/logger'
import type { Store } from '../store/types'

/** The normalized query language every data adapter translates. Values are plain scalars. */
export const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains'] as const
export type Operator = (typeof OPERATORS)[number]
export type Scalar = string | number | boolean | null
export type Condition = { field: string; op: Operator; value: Scalar | Scalar[] }
export type SortKey = { field: string; direction: 'asc' | 'desc' }

type FindQuery = {
  /** ANDed conditions; the owner scope is always among them. */
  where: Condition[]
  sort: SortKey[]
  limit: number
  /** The adapter's own cursor from a previous page. */
  cursor: string | undefined
  /** Fields to return (readable ones, plus what the scope check needs). */
  fields: string[]
}

export type Row = { id: string; fields: Record<string, unknown> }
type Page = { rows: Row[]; nextCursor: string | undefined }

/**
 * The contract between the policy engine and a backend (Airtable, Prisma, MongoDB). Every method
 * receives the scope conditions and must apply them in the backend query; the conformance suite
 * in test/conformance/ proves each adapter does.
 */
export interface DataAdapter {
  readonly kind: string
  readonly capabilities: {
    operators: readonly Operator[]
    maxPageSize: number
    /**
     * A backend whose request budget all users share (Airtable's 5 per second per base): each
     * user may take at most this many operations per second of it, so one user can't hold every
     * other user at 503. Absent: no per-user share.
     */
    fairShare?: { budget: string; perUserPerSecond: number }
  }
  find(query: FindQuery): Promise<Page>
  get(id: string, where: Condition[]): Promise<Row | null>
  create(records: Record<string, Scalar>[]): Promise<Row[]>
  /** Null when no row matches id AND where (the caller answers 404). */
  update(id: string, where: Condition[], values: Record<string, Scalar>): Promise<Row | null>
  delete(id: string, where: Condition[]): Promise<boolean>
  close?(): Promise<void>
}

/**
 * Thrown by `create` when a batch failed after some of it was written (a backend with no
 * transaction): the caller answers with the failure and exactly the rows that were created.
 */
export class PartialCreateError extends Error {
  constructor(
    readonly created: Row[],
    readonly failure: AppError,
  ) {
    super('the batch was only partly created')
    this.name = 'PartialCreateError'
  }
}

/** What a backend factory gets from the runtime, and the resource's field types. */
export type BackendContext = {
  store: Store
  clock: Clock
  logger: Logger
  /** Counts backend events (budget waits, 429s) for GET /metrics. */
  metrics: Metrics
  fields: Record<string, FieldSpec>
}

type FieldType = 'string' | 'number' | 'boolean' | 'datetime'
export type FieldSpec = {
  type: FieldType
  /** Set by the backend (ids, timestamps, formulas): never written, not even by presets. */
  readOnly?: boolean
  maxLength?: number
  nullable?: boolean
}

/** `own`: the owner rule; `all`: every row; a function: extra conditions (null: no rows). */
export type Scope = 'own' | 'all' | ((principal: Principal) => Condition[] | null)
export const OPERATIONS = ['list', 'get', 'create', 'update', 'delete'] as const
export type Operation = (typeof OPERATIONS)[number]
