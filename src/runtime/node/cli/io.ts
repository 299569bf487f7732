/** Where a command writes, and how it ends: tests pass arrays, the binary passes the process's streams. */
export type CliIo = {
  out(line: string): void
  err(line: string): void
  env: Record<string, string | undefined>
  /** Standard input, read whole (`--admin-key-stdin`). */
  stdin?: () => Promise<string>
}

/** Exit codes: 0 done, 1 a check or a request failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/** A failure the command reports in one line (never with a secret in it). */
export class CliFailure extends Error {}

/** Prints `value` as JSON (--json) or as the lines `text` makes of it. */
export function print<T>(io: CliIo, json: boolean, value: T, text: (value: T) => string[]): void {
  if (json) io.out(JSON.stringify(value, null, 2))
  else for (const line of text(value)) io.out(line)
}

/** Pads the columns of `rows` to their widest cell. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? []
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  )
}
