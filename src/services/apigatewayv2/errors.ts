/** API Gateway v2's errors as the model names them (`Message`, and `ResourceType` for NotFound). */
import { AwsError } from '../../core/errors.js';

export function notFound(message: string, resourceType: string): AwsError {
  return new AwsError('NotFoundException', message, 404, { fields: { ResourceType: resourceType } });
}

export function badRequest(message: string): AwsError {
  return new AwsError('BadRequestException', message, 400);
}

export function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 409);
}
