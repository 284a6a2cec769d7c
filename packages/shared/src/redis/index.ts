export { type CreateRedisOptions, createRedis, type RedisRole, redisOptionsFor } from "./create-redis.js";
