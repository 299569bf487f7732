import type { BackendReference } from '../../src/data/resource'

export type AirtableReference = BackendReference & {
  driver: 'airtable'
  table: string
  baseId?: string
}

/**
 * Records of a table of an Airtable base (`AIRTABLE_BASE_ID` unless `baseId` names another):
 * `backend: airtable.table('Apartments')`.
 */
export const airtable = {
  table: (table: string, options: { baseId?: string } = {}): AirtableReference => ({
    driver: 'airtable',
    table,
    ...options,
  }),
}
