/** API Gateway's control-plane errors, as the model names them, with AWS's status codes. */
import { AwsError } from '../../core/errors.js';

export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message, 404);
}

export function badRequest(message: string): AwsError {
  return new AwsError('BadRequestException', message, 400);
}

export function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 409);
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message, 429);
}
