import { z } from "zod";
import { httpUrl, logLevel, redisUrl } from "./env-spec.js";

/** Variables every process reads (CONTRACT.md §1, plus LOG_LEVEL). */
export const commonEnv = {
  REDIS_URL: {
    schema: redisUrl,
    default: "redis://127.0.0.1:6379",
    example: "redis://127.0.0.1:6379",
    secret: true,
  },
  GITHUB_API_URL: {
    schema: httpUrl,
    default: "https://api.github.com",
    example: "https://github.example.com/api/v3",
  },
  GITHUB_APP_ID: {
    schema: z.string().regex(/^\d+$/, "must be the App's numeric id"),
    example: "123456",
  },
  LOG_LEVEL: { schema: logLevel, default: "info", example: "debug" },
} as const;
