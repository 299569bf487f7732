export { mongoCollection, type MongoIndex } from './mongo-adapter'
export { mongoPosts } from './posts'
