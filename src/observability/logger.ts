import type { Clock } from '../clock'
import { redact, redactInto } from './redact'

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
type LogLevel = (typeof LOG_LEVELS)[number]
export type LogFields = Record<string, unknown>

/** Structured JSON logger: one line per event, UTC timestamps, secrets redacted by key name. */
export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
  /** A logger that adds `fields` (e.g. the request id) to every line. */
  child(fields: LogFields): Logger
}

export type LoggerOptions = {
  level?: LogLevel
  clock: Clock
  /** Where a finished line goes; defaults to the console. Tests pass an array's push. */
  sink?: (line: string) => void
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const output: Output = {
    minimum: LOG_LEVELS.indexOf(options.level ?? 'info'),
    sink: options.sink ?? ((line: string) => console.log(line)),
    time: isoTime(options.clock),
  }
  return new StructuredLogger(output, redact(bound))
}

type Output = { minimum: number; sink: (line: string) => void; time: () => string }

/** A class, so a per-request child costs one small object. */
class StructuredLogger implements Logger {
  constructor(
    private readonly output: Output,
    private readonly bound: LogFields,
  ) {}

  debug(event: string, fields?: LogFields): void {
    this.write(0, 'debug', event, fields)
  }
  info(event: string, fields?: LogFields): void {
    this.write(1, 'info', event, fields)
  }
  warn(event: string, fields?: LogFields): void {
    this.write(2, 'warn', event, fields)
  }
  error(event: string, fields?: LogFields): void {
    this.write(3, 'error', event, fields)
  }
  child(fields: LogFields): Logger {
    // Bound fields are redacted once, here, not on every line.
    return new StructuredLogger(this.output, { ...this.bound, ...redact(fields) })
  }

  private write(rank: number, level: LogLevel, event: string, fields: LogFields = {}): void {
    if (rank < this.output.minimum) return
    const time = this.output.time()
    const record: LogFields = { time, level, event }
    for (const key in this.bound) record[key] = this.bound[key]
    redactInto(record, fields)
    // A field named like the line's own can't change when, how bad or what the line is.
    record.time = time
    record.level = level
    record.event = event
    // JSON.stringify escapes CR/LF, so a header value can never forge a second line.
    this.output.sink(JSON.stringify(record))
  }
}

/** The clock's time as ISO 8601, formatted once per millisecond however many lines share it. */
function isoTime(clock: Clock): () => string {
  let last = Number.NaN
  let text = ''
  return () => {
    const now = clock.now()
    if (now !== last) {
      last = now
      text = new Date(now).toISOString()
    }
    return text
  }
}
