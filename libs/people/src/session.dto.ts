import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Person, PERSON_ROLES, PersonRole, PersonSession } from './people-accounts';

export class SignInDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'caseworker@shelter' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly username!: string;

  @ApiProperty({ minLength: 1, maxLength: 1000, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  readonly password!: string;
}

export class PersonDto implements Person {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;
  @ApiProperty()
  readonly username!: string;
  @ApiProperty()
  readonly displayName!: string;
  @ApiProperty({ enum: PERSON_ROLES })
  readonly role!: PersonRole;
  @ApiPropertyOptional({ description: 'the one agency a caseworker or supervisor acts for; none for an administrator' })
  readonly agencyId?: string;
}

export class SessionDto implements PersonSession {
  @ApiProperty({ type: PersonDto })
  readonly person!: PersonDto;
  @ApiProperty({ description: 'repeat it as the X-CSRF-Token header of every state-changing request made with the session cookie' })
  readonly csrfToken!: string;
}
