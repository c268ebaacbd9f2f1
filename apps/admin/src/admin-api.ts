import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiProblems, RATE_LIMITED } from '@crescent/runtime';
import { AdminAuthGuard } from './admin-auth.guard';

/** An administrators' controller: behind an admin session or the admin token, and documented with the answers that guard gives. */
export function AdminApi(): ClassDecorator {
  return applyDecorators(
    UseGuards(AdminAuthGuard),
    ApiTags('admin'),
    ApiBearerAuth(),
    ApiProblems(
      [401, 'AUTH.NOT_AN_ADMIN (no admin session and no bearer token, or not the administrators\' token)'],
      [403, 'AUTH.CSRF (a change made with the admin session cookie but without its X-CSRF-Token header)'],
      RATE_LIMITED,
    ),
  );
}
