import { defineResource } from '../../src/data/resource'
import { airtableTable, type AirtableConnection } from './airtable-adapter'

/**
 * The apartment-hunting example: an `Apartments` table whose `Email` column holds the owner.
 * A user lists and opens only their own apartments and may change only `Visited`.
 */
export function apartments(options: { baseId: string; connection: () => AirtableConnection }) {
  return defineResource({
    name: 'apartments',
    backend: airtableTable({
      baseId: options.baseId,
      table: 'Apartments',
      connection: options.connection,
    }),
    fields: {
      Name: { type: 'string', maxLength: 200 },
      Address: { type: 'string', maxLength: 500 },
      Price: { type: 'number' },
      Visited: { type: 'boolean' },
      Notes: { type: 'string', maxLength: 5000, nullable: true },
      Email: { type: 'string' },
    },
    owner: { field: 'Email', principal: 'email' },
    operations: { list: 'own', get: 'own', update: 'own' },
    readable: ['Name', 'Address', 'Price', 'Visited', 'Notes', 'Email'],
    writable: ['Visited'],
    defaultSort: [{ field: 'Name', direction: 'asc' }],
  })
}
