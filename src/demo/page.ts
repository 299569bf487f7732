/** The demo page: plain HTML, its script separate so the page's CSP allows no inline code. */
export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Bridgekeeper demo</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  section { border: 1px solid #ddd; border-radius: 6px; padding: 0.75rem 1rem; margin: 1rem 0; }
  pre { background: #f6f6f6; padding: 0.5rem; overflow: auto; max-height: 14rem; }
  .error { color: #b00020; } li { margin: 0.25rem 0; } input { margin-right: 0.5rem; }
</style>
</head>
<body>
<h1>Bridgekeeper demo</h1>
<p>Development mode only. Sign in as a test user through the development issuer.</p>
<section id="signin">
  <input id="sub" placeholder="user id" value="alice" />
  <button id="sign-in">Sign in</button>
  <button id="sign-out">Sign out</button>
  <button id="sign-out-everywhere">Sign out everywhere</button>
  <p id="status">Signed out</p>
</section>
<section>
  <h2>Sessions</h2>
  <button id="load-sessions">Refresh</button>
  <ul id="sessions"></ul>
</section>
<section>
  <h2>Tokens</h2>
  <button id="mint-hasura">Hasura token</button>
  <button id="mint-firebase">Firebase token</button>
  <button id="mint-parallel">20 parallel Hasura tokens</button>
  <p id="token-life"></p>
  <pre id="claims"></pre>
</section>
<section>
  <h2>Posts</h2>
  <input id="title" placeholder="title" />
  <button id="create-post">Create</button>
  <button id="load-posts">Refresh</button>
  <ul id="posts"></ul>
</section>
<p id="error" class="error" role="alert"></p>
<script type="module" src="/demo/app.js"></script>
</body>
</html>
`

export const DEMO_SCRIPT = `import { createBridgeClient } from '/demo/client.js'

const $ = (id) => document.getElementById(id)
let client
let me

function show(error) {
  $('error').textContent = error ? (error.code ? error.code + ': ' + (error.detail || error.message) : String(error)) : ''
}
async function run(action) {
  show(null)
  try { await action() } catch (error) { show(error) }
}
function claimsOf(token) {
  return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))
}

async function devToken(sub) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub, email: sub + '@example.com' }),
  })
  return (await response.json()).token
}

function signedOut() {
  me = undefined
  $('status').textContent = 'Signed out'
  $('sessions').replaceChildren()
  $('posts').replaceChildren()
}

$('sign-in').onclick = () => run(async () => {
  client?.close()
  const sub = $('sub').value
  client = createBridgeClient({ url: location.origin, getUpstreamToken: () => devToken(sub), channel: 'bridgekeeper-demo-' + sub })
  client.onSignedOut(signedOut)
  await client.signIn()
  me = await client.me()
  $('status').textContent = 'Signed in as ' + me.userId
  await loadSessions()
  await loadPosts()
})
$('sign-out').onclick = () => run(() => client.signOut())
$('sign-out-everywhere').onclick = () => run(() => client.signOut({ everywhere: true }))

async function loadSessions() {
  const sessions = await client.sessions()
  $('sessions').replaceChildren(...sessions.map((session) => {
    const li = document.createElement('li')
    li.textContent = session.id + (session.current ? ' (this one)' : '') + ' until ' + session.expiresAt + ' '
    const revoke = document.createElement('button')
    revoke.textContent = 'Revoke'
    revoke.onclick = () => run(async () => { await client.revokeSession(session.id); await loadSessions() })
    li.append(revoke)
    return li
  }))
}
$('load-sessions').onclick = () => run(loadSessions)

async function mint(template) {
  const token = await client.getToken(template)
  const claims = claimsOf(token)
  $('claims').textContent = JSON.stringify(claims, null, 2)
  $('token-life').textContent = template + ' token, ' + Math.round(claims.exp - Date.now() / 1000) + ' s left'
}
$('mint-hasura').onclick = () => run(() => mint('hasura'))
$('mint-firebase').onclick = () => run(() => mint('firebase'))
$('mint-parallel').onclick = () => run(async () => {
  const tokens = await Promise.all(Array.from({ length: 20 }, () => client.getToken('hasura', { skipCache: true })))
  $('token-life').textContent = '20 requests, ' + new Set(tokens).size + ' distinct token(s)'
})

async function loadPosts() {
  const posts = []
  for await (const post of client.data('posts').iterate({ limit: 50 })) posts.push(post)
  $('posts').replaceChildren(...posts.map((post) => {
    const li = document.createElement('li')
    li.dataset.id = post.id
    const title = document.createElement('input')
    title.value = post.fields.title
    title.setAttribute('value', post.fields.title)
    const save = document.createElement('button')
    save.textContent = 'Save'
    save.onclick = () => run(async () => {
      try {
        await client.data('posts').update(post.id, { title: title.value })
        await loadPosts()
      } catch (error) {
        // The policy: every signed-in user reads every post; only its author edits or deletes it.
        if (error.status === 404) error.detail = 'only the author may edit this post (update: own)'
        throw error
      }
    })
    const remove = document.createElement('button')
    remove.textContent = 'Delete'
    remove.onclick = () => run(async () => { await client.data('posts').delete(post.id); await loadPosts() })
    const author = document.createElement('span')
    author.textContent = ' by ' + post.fields.authorId + ' '
    li.append(title, author, save, remove)
    return li
  }))
}
$('load-posts').onclick = () => run(loadPosts)
$('create-post').onclick = () => run(async () => {
  await client.data('posts').create({ title: $('title').value })
  $('title').value = ''
  await loadPosts()
})
`
