import { generateKeyPairSync } from 'node:crypto'

/** A throwaway Google-style service account, made at test time (never a real key in the repo). */
export function testServiceAccount() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    account: {
      type: 'service_account',
      project_id: 'demo-bridgekeeper',
      client_email: 'firebase-adminsdk-test@demo-bridgekeeper.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}
