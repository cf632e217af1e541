// The tRPC HTTP endpoint. All behaviour (auth, cookies, validation, errors) lives in @spot/api.
import { handleTrpcRequest } from '@spot/api/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = handleTrpcRequest;
export const POST = handleTrpcRequest;
