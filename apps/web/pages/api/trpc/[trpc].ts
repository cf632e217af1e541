// The tRPC HTTP endpoint. All behaviour (auth, cookies, validation, errors) lives in @spot/api.
// A Pages Router API route rather than an App Router route handler: it hands over node's own
// request and response, which @spot/api serves without building a WHATWG Request and Response
// per call (a door scanner's hot path; see its http.ts).
import { handleTrpcRequest } from '@spot/api/http';
import type { PageConfig } from 'next';

export const config: PageConfig = {
  // The handler reads the body itself, with its own size limit, and always answers.
  api: { bodyParser: false, externalResolver: true },
};

export default handleTrpcRequest;
