import { describe, expect, it } from 'vitest'
import { manualClock } from '../../src/clock'
import { createLogger } from '../../src/observability/logger'

describe('structured logger', () => {
  const capture = () => {
    const lines: string[] = []
    const logger = createLogger({
      clock: manualClock(Date.UTC(2026, 10, 27)),
      sink: (l) => lines.push(l),
    })
    return { lines, logger }
  }

  it('writes one JSON line per event, in UTC, with bound fields', () => {
    const { lines, logger } = capture()
    logger.child({ requestId: 'req_1' }).info('session.created', { sessionId: 'sess_1' })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-11-27T00:00:00.000Z',
      level: 'info',
      event: 'session.created',
      requestId: 'req_1',
      sessionId: 'sess_1',
    })
  })

  it("keeps the line's time, level and event whatever the fields are called", () => {
    const { lines, logger } = capture()
    logger.info('http.request', { event: 'security.forged', level: 'error', time: 'yesterday' })
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      time: '2026-11-27T00:00:00.000Z',
      level: 'info',
      event: 'http.request',
    })
  })

  it('redacts secrets by field name and by shape', () => {
    const { lines, logger } = capture()
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl'
    logger.warn('auth.failed', {
      authorization: 'Bearer abc',
      cookie: '__Host-bk_session=secret',
      nested: { apiKey: 'k', privateKey: { d: 'x' }, value: jwt },
      header: 'Bearer something',
      pem: '-----BEGIN PRIVATE KEY-----\nMIIE',
    })
    const text = lines.join('\n')
    for (const secret of [
      'Bearer abc',
      '__Host-bk_session=secret',
      jwt,
      'Bearer something',
      'MIIE',
    ]) {
      expect(text).not.toContain(secret)
    }
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      authorization: '[redacted]',
      nested: { apiKey: '[redacted]' },
    })
  })

  it('redacts session secrets (bks_) and webhook signing secrets (whsec_) under any name', () => {
    const { lines, logger } = capture()
    const session = `bks_0a1f${'x'.repeat(39)}`
    const signing = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    logger.info('something', { note: session, detail: `configured ${signing}`, list: [session] })
    const text = lines.join('\n')
    expect(text).not.toContain(session)
    expect(text).not.toContain(signing)
  })

  it('cannot be made to forge a line with CR/LF in a value', () => {
    const { lines, logger } = capture()
    logger.info('http.request', { userAgent: 'evil\r\n{"level":"info","event":"admin.login"}' })
    expect(lines).toHaveLength(1)
    expect(lines[0]?.split('\n')).toHaveLength(1)
  })

  it('drops events below the level', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'warn', clock: manualClock(), sink: (l) => lines.push(l) })
    logger.info('x')
    logger.debug('y')
    logger.error('z')
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(['z'])
  })
})
