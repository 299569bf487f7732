export { posts } from './posts'
export { prismaModel } from './prisma-adapter'
