import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getConnInfo } from '@hono/node-server/conninfo'
import { nodeAdapters } from '../../../adapters/node'
import type { RuntimeCapabilities } from '../../assembly/assemble'
import type { DocsAssets, DocsFile } from '../../openapi/reference-page'
import { loadOrCreateDevKeys } from './dev-keys'
import { nodeSignature } from './node-signature'
import { nodeNativeHeaders } from './native-headers'

/**
 * What the Node runtime gives the assembly: `npm start` and the CLI build the same bridge.
 * prom-client is imported only when metrics are on (it is a tenth of the start-up otherwise).
 */
export async function nodeRuntime(
  env: Record<string, string | undefined>,
): Promise<RuntimeCapabilities> {
  const dataDir = env.BRIDGE_DATA_DIR ?? '.data'
  return {
    name: 'node',
    env,
    adapters: nodeAdapters,
    defaultMode: 'development',
    dataDir,
    signature: nodeSignature,
    http1: true,
    nativeHeaders: nodeNativeHeaders,
    // Collected only when someone may read them.
    metrics: env.METRICS_TOKEN ? (await import('./prometheus')).prometheusMetrics() : undefined,
    developmentKeys: () => loadOrCreateDevKeys(dataDir),
    demoClient: builtClient(),
    docsAssets: swaggerUiFiles,
    socketAddress: (c) => {
      try {
        return getConnInfo(c).remote.address
      } catch {
        return undefined
      }
    },
  }
}

/**
 * dist/client.js when it was built (npm ci builds it), for the development demo page; found from
 * this module whether it runs from source (src/runtime/node/) or compiled (dist/server/).
 */
function builtClient(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'dist/client.js')
    if (existsSync(file)) return readFileSync(file, 'utf8')
    if (dirname(dir) === dir) return undefined
  }
}

const docsFiles = new Map<DocsFile, Promise<string>>()
/** The reference page's files from the installed swagger-ui-dist, read on the first /docs visit. */
export const swaggerUiFiles: DocsAssets = (file) => {
  let read = docsFiles.get(file)
  if (!read) {
    read = readFile(createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`), 'utf8')
    // A failed read (the package missing) is tried again on the next visit, not remembered.
    read.catch(() => docsFiles.delete(file))
    docsFiles.set(file, read)
  }
  return read
}
