import { exports } from 'cloudflare:workers'
import { defineSmokeSuite } from '../smoke/smoke-suite'

defineSmokeSuite('workerd', (request) => exports.default.fetch(request))
