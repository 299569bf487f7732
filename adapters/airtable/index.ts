export { airtableTable, type AirtableConnection } from './airtable-adapter'
export { apartments } from './apartments'
export { parseAirtableEnv } from './config'
