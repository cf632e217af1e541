// CSV exports of an event (bookings, check-ins), streamed. Sign-in, plan and ownership checks
// and the CSV itself all live in @spot/api; this route only mounts its handler.
import { handleExportRequest } from '@spot/api/exports';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleExportRequest(request);
}
