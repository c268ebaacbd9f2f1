import { isPlainText, PLAIN_TEXT_RULE } from '@crescent/domain';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** The domain's rule for text a person writes, as a DTO constraint that names the field (never the text). */
export function IsPlainText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'plainText',
      validator: {
        validate: (value) => typeof value === 'string' && isPlainText(value),
        defaultMessage: (args) => `${options?.each ? 'each value in ' : ''}${args?.property} is ${PLAIN_TEXT_RULE}`,
      },
    },
    options,
  );
}
