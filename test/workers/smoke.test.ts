import { exports } from 'cloudflare:workers'
import { defineProviderSmokeSuite, defineSmokeSuite } from '../smoke/smoke-suite'

defineSmokeSuite('workerd', (request) => exports.default.fetch(request))
defineProviderSmokeSuite('workerd (Durable Object store, D1)', (request) =>
  exports.default.fetch(request),
)
