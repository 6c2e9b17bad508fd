/** Admin API errors: HTTP status + `{code, message}` body (docs/architecture.md, "Admin API conventions"). Thrown by services, mapped in one handler. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}
export const validationError = (message: string) => new ApiError(400, 'VALIDATION_ERROR', message)
export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message)
export const conflict = (message: string) => new ApiError(409, 'CONFLICT', message)
