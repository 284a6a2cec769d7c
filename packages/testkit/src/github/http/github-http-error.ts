export const DOCS = "https://docs.github.com/rest";

export interface ValidationError {
  resource: string;
  code: "missing_field" | "missing" | "invalid" | "already_exists" | "unprocessable" | "custom";
  field?: string;
  message?: string;
}

/** An answer in GitHub's error shape: `{"message","documentation_url","status"}` (+ `errors` on 422). */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: ValidationError[]; documentationUrl?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "GitHubHttpError";
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message };
    if (this.extra.errors) body.errors = this.extra.errors;
    body.documentation_url = this.extra.documentationUrl ?? DOCS;
    body.status = String(this.status);
    return body;
  }
}

export const notFound = (documentationUrl?: string) =>
  new GitHubHttpError(404, "Not Found", documentationUrl ? { documentationUrl } : {});

export const badCredentials = () => new GitHubHttpError(401, "Bad credentials");

export const validationFailed = (errors: ValidationError[], documentationUrl?: string) =>
  new GitHubHttpError(422, "Validation Failed", { errors, ...(documentationUrl ? { documentationUrl } : {}) });

export const unprocessable = (message: string, documentationUrl?: string) =>
  new GitHubHttpError(422, message, documentationUrl ? { documentationUrl } : {});
