// Load balancers' health check (see handleHealthRequest in @spot/api).
import { handleHealthRequest } from '@spot/api/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return handleHealthRequest();
}
