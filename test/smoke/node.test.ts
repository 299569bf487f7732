import { makeTestApp } from '../helpers/test-app'
import { defineSmokeSuite } from './smoke-suite'

const { app } = await makeTestApp()
defineSmokeSuite('node', async (request) => app.request(request))
