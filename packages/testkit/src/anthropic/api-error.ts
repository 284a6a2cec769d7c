/** Error types of the Messages API and the HTTP status each one is sent with. */
export const ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
} as const;

export type ApiErrorType = keyof typeof ERROR_STATUS;

export interface ApiErrorBody {
  type: "error";
  error: { type: string; message: string };
  request_id: string;
}

/** A failure the fake answers with, in the API's error shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly headers: Record<string, string>;

  constructor(type: string, message: string, options: { status?: number; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "ApiError";
    this.type = type;
    this.status = options.status ?? ERROR_STATUS[type as ApiErrorType] ?? 500;
    this.headers = options.headers ?? {};
  }

  body(requestId: string): ApiErrorBody {
    return { type: "error", error: { type: this.type, message: this.message }, request_id: requestId };
  }
}

export const invalidRequest = (message: string): ApiError => new ApiError("invalid_request_error", message);

/** The error type the API uses for a status, for faults given only a status. */
export function errorTypeForStatus(status: number): string {
  for (const [type, code] of Object.entries(ERROR_STATUS)) if (code === status) return type;
  return status >= 500 ? "api_error" : "invalid_request_error";
}
