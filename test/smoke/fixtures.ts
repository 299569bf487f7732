/** Data both runtimes' smoke suites use. */
export const SMOKE_AIRTABLE = {
  baseId: 'appSmokeTests0001',
  token: 'patLocalSmokeTest.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  rows: [
    { Name: 'Canal loft', Address: '1 Canal St', Price: 1800, Email: 'ada@example.com' },
    { Name: 'Garden flat', Address: '2 Garden Rd', Price: 1500, Email: 'ada@example.com' },
    { Name: 'Harbour studio', Address: '3 Harbour Way', Price: 1200, Email: 'bob@example.com' },
  ],
}
