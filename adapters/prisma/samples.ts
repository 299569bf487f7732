type PostDelegate = {
  count(): Promise<number>
  createMany(args: { data: object[] }): Promise<unknown>
}

/** A few sample posts for the embedded development database, added once to an empty table. */
export async function seedSamplePosts(client: object): Promise<number> {
  const post = (client as { post: PostDelegate }).post
  if ((await post.count()) > 0) return 0
  const data = [
    {
      title: 'Welcome to Bridgekeeper',
      body: 'Every signed-in user can read posts; only the author can edit them.',
      authorId: 'bridgekeeper',
      authorEmail: 'team@bridgekeeper.dev',
    },
    {
      title: 'Row-level policies',
      body: 'The owner is set by the bridge and is part of every update and delete.',
      authorId: 'bridgekeeper',
      authorEmail: 'team@bridgekeeper.dev',
    },
    {
      title: 'Try it',
      body: 'POST /dev/token, then POST /v1/data/posts with a title.',
      authorId: 'bridgekeeper',
      authorEmail: 'team@bridgekeeper.dev',
    },
  ]
  await post.createMany({ data })
  return data.length
}
