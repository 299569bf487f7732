import type { Clock } from '../clock'
import { redact } from './redact'

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
  const minimum = LOG_LEVELS.indexOf(options.level ?? 'info')
  const sink = options.sink ?? ((line: string) => console.log(line))
  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < minimum) return
    const record = {
      time: new Date(options.clock.now()).toISOString(),
      level,
      event,
      ...redact({ ...bound, ...fields }),
    }
    // JSON.stringify escapes CR/LF, so a header value can never forge a second line.
    sink(JSON.stringify(record))
  }
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  }
}
