/** The real PostgreSQL of the test machine (trust auth, database `test`), or DATABASE_URL. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
