/**
 * A service error whose `name` is the AWS error type. The wire layer turns it into the AWS error shape
 * (`__type`, `message`, `x-amzn-ErrorType`); the engine never knows about HTTP.
 */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** HTTP status the wire layer uses; AWS documents 400 for every modelled error. */
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const make =
  (type: string, httpStatus = 400) =>
  (message: string): ServiceError =>
    new ServiceError(type, message, httpStatus);

export const resourceNotFound = make('ResourceNotFoundException');
export const resourceInUse = make('ResourceInUseException');
export const invalidArgument = make('InvalidArgumentException');
export const invalidRequest = make('InvalidRequestException');
export const concurrentModification = make('ConcurrentModificationException');
export const limitExceeded = make('LimitExceededException');
export const tooManyTags = make('TooManyTagsException');
export const unsupportedOperation = make('UnsupportedOperationException');
export const invalidApplicationConfiguration = make('InvalidApplicationConfigurationException');
export const codeValidation = make('CodeValidationException');
export const accessDenied = make('AccessDeniedException');

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
